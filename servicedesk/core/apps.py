import ctypes.util
import logging

from django.apps import AppConfig

logger = logging.getLogger(__name__)


class CoreConfig(AppConfig):
    name = "servicedesk.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        # Without it WeasyPrint embeds whole CJK fonts: a Chinese page takes seconds, not ~0.2 s.
        if not ctypes.util.find_library("harfbuzz-subset"):
            logger.warning(
                "libharfbuzz-subset is missing: PDFs with Chinese text will be slow and large. "
                "Install the Debian package libharfbuzz-subset0."
            )
