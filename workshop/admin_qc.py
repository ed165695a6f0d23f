"""Admin of QC checklist templates."""
