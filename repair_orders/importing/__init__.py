"""Imports of the labour-time book and the service packages (CSV/XLSX, dry run first), run by the shared
import machinery in customers/importing (kinds.py names these resources)."""
