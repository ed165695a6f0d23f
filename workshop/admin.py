"""Admin of the workshop: technician profiles (skills, level, team), bays and lifts, and each site's workshop
rules. QC checklist templates are registered in admin_qc (imported at the end)."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import Bay, TechnicianProfile, WorkshopSettings
from .models.resources import Skill


class TechnicianProfileForm(forms.ModelForm):
    # The JSON list as ticks: only the labour book's skills can be chosen.
    skills = forms.MultipleChoiceField(label=_("skills"), choices=Skill.choices, required=False,
                                       widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = TechnicianProfile
        fields = ["site", "user", "skills", "level", "team", "active"]


@admin.register(TechnicianProfile)
class TechnicianProfileAdmin(admin.ModelAdmin):
    form = TechnicianProfileForm
    list_display = ["user", "site", "level", "team", "skill_list", "active"]
    list_filter = ["site", "level", "active", "team"]
    search_fields = ["user__username", "user__profile__display_name", "team"]
    list_select_related = ["user", "site"]
    autocomplete_fields = ["user"]
    list_per_page = 50

    @admin.display(description=_("skills"))
    def skill_list(self, profile):
        labels = dict(Skill.choices)
        return ", ".join(str(labels.get(skill, skill)) for skill in profile.skills)


@admin.register(Bay)
class BayAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "site", "active"]
    list_filter = ["site", "kind", "active"]
    search_fields = ["code", "name"]
    list_editable = ["active"]


@admin.register(WorkshopSettings)
class WorkshopSettingsAdmin(admin.ModelAdmin):
    list_display = ["site", "at_risk_share", "board_refresh_seconds", "allow_parallel_clocking",
                    "technicians_see_prices", "technicians_see_mobiles"]
    list_select_related = ["site"]


from . import admin_qc  # noqa: E402,F401  (checklist templates, owned with QC)
