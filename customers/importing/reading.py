"""Reading an uploaded CSV or XLSX file row by row, so a large file never sits in memory whole.

CSV may be UTF-8 (with or without the BOM Excel writes) or GBK/GB18030 (what Chinese Excel saves as
"CSV (逗号分隔)"); the encoding is found by a first pass that also counts the rows.
"""

import codecs
import csv
import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _

from .columns import DATE_KEYS, Column, cell_text, column_lookup, date_text, header_key

FORMATS = ("csv", "xlsx")
MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024  # a 10 MB workbook of text unpacks to far less
CSV_ENCODINGS = ("utf-8-sig", "gb18030")


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message tells the user why and what to do."""

    def __init__(self, message):
        super().__init__(message)
        self.message = str(message)


def file_format(name: str) -> str | None:
    suffix = Path(name or "").suffix.lower().lstrip(".")
    return suffix if suffix in FORMATS else None


def check_upload(upload) -> str:
    """The upload's format, or FileRefused when it is of an unknown type, empty or too large."""
    fmt = file_format(upload.name)
    if fmt is None:
        raise FileRefused(_("Only .csv and .xlsx files can be imported; “%(name)s” is neither. In Excel "
                            "use “Save as” and choose CSV UTF-8 or Excel Workbook (.xlsx).")
                          % {"name": upload.name})
    if not upload.size:
        raise FileRefused(_("The file is empty."))
    if upload.size > MAX_BYTES:
        raise FileRefused(_("The file is %(size).1f MB; at most %(max)d MB can be imported at once. "
                            "Split it into smaller files.")
                          % {"size": upload.size / 1024 / 1024, "max": MAX_BYTES // 1024 // 1024})
    return fmt


@dataclass
class HeaderMap:
    keys: list[str | None]  # per column of the file: the field it feeds, or None when ignored
    labels: dict[str, str] = field(default_factory=dict)  # field -> the header as the file writes it
    ignored: list[str] = field(default_factory=list)


def map_headers(cells: list, columns: tuple[Column, ...]) -> HeaderMap:
    lookup = column_lookup(columns)
    header = HeaderMap(keys=[])
    for cell in cells:
        text = cell_text(cell)
        column = lookup.get(header_key(text))
        if column is None:
            header.keys.append(None)
            if text:
                header.ignored.append(text)
            continue
        if column.key in header.labels:
            raise FileRefused(_("The columns “%(a)s” and “%(b)s” both mean %(label)s; keep only one.")
                              % {"a": header.labels[column.key], "b": text, "label": column.label()})
        header.keys.append(column.key)
        header.labels[column.key] = text
    missing = [column for column in columns if column.required and column.key not in header.labels]
    if missing:
        raise FileRefused(_("The file has no column for: %(columns)s. The first row must hold the column "
                            "headers; download the template to see them.")
                          % {"columns": "、".join(f"{c.zh} ({c.en})" for c in missing)})
    return header


class ImportFile:
    """The uploaded file of an import job: `scan()` first (checks and counts), then `rows()`."""

    def __init__(self, fieldfile, fmt: str, columns: tuple[Column, ...], *, max_rows: int | None = None):
        self.fieldfile = fieldfile
        self.fmt = fmt
        self.columns = columns
        self.max_rows = max_rows or MAX_ROWS
        self.encoding = None
        self.header: HeaderMap | None = None

    def scan(self) -> int:
        """Check the headers and count the data rows; FileRefused when the file cannot be imported."""
        if self.fmt == "csv":
            self.encoding = self._csv_encoding()
        count = sum(1 for _row in self.rows())
        if count == 0:
            raise FileRefused(_("The file has headers but no rows to import."))
        return count

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(row number as the spreadsheet shows it, {field: text}) for every row that is not blank."""
        with self._raw_rows() as raw:
            self.header = None
            count = 0
            for number, cells in raw:
                texts = [cell_text(cell) for cell in cells]
                if not any(texts):
                    continue
                if self.header is None:
                    self.header = map_headers(texts, self.columns)
                    continue
                count += 1
                if count > self.max_rows:
                    raise FileRefused(_("The file has more than %(max)s rows; split it into files of at most "
                                        "%(max)s rows.") % {"max": f"{self.max_rows:,}"})
                yield number, self._row_dict(texts)
        if self.header is None:
            raise FileRefused(_("The file is empty: the first row must hold the column headers."))

    def _row_dict(self, texts: list[str]) -> dict[str, str]:
        row = {column.key: "" for column in self.columns}
        for key, text in zip(self.header.keys, texts, strict=False):
            if key:
                row[key] = date_text(text) if key in DATE_KEYS else text
        return row

    @contextmanager
    def _raw_rows(self):
        if self.fmt == "xlsx":
            with self._xlsx_rows() as rows:
                yield rows
        else:
            with self.fieldfile.open("rb") as binary:
                text = io.TextIOWrapper(_Readable(binary), encoding=self.encoding or CSV_ENCODINGS[0],
                                        newline="")
                yield self._csv_rows(text)

    @staticmethod
    def _csv_rows(text) -> Iterator[tuple[int, list]]:
        reader = csv.reader(text)
        try:
            yield from enumerate(reader, start=1)
        except csv.Error as error:
            raise FileRefused(_("The CSV file cannot be read near row %(row)s (%(error)s). Open it in Excel "
                                "and save it again as CSV UTF-8.") % {"row": reader.line_num, "error": error}
                              ) from None
        except UnicodeDecodeError:
            raise FileRefused(_("The CSV file is neither UTF-8 nor GBK text. Open it in Excel and save it "
                                "again as CSV UTF-8.")) from None

    @contextmanager
    def _xlsx_rows(self):
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        with self.fieldfile.open("rb") as binary:
            try:
                _refuse_zip_bomb(binary)
                workbook = load_workbook(_Readable(binary), read_only=True, data_only=True)
            except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError):
                raise FileRefused(_("This is not a readable .xlsx file. Open it in Excel and save it again "
                                    "as Excel Workbook (.xlsx).")) from None
            try:
                sheet = workbook.worksheets[0]
                yield enumerate(sheet.iter_rows(values_only=True), start=1)
            finally:
                workbook.close()

    def _csv_encoding(self) -> str:
        """UTF-8 when the whole file decodes as UTF-8, else GB18030 (a superset of GBK)."""
        decoder = codecs.getincrementaldecoder("utf-8")()
        with self.fieldfile.open("rb") as binary:
            try:
                while block := binary.read(64 * 1024):
                    decoder.decode(block)
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                return CSV_ENCODINGS[1]
        return CSV_ENCODINGS[0]


class _Readable(io.RawIOBase):
    """A Django File (any storage) as the binary stream that TextIOWrapper and zipfile expect."""

    def __init__(self, file):
        self._file = file
        file.seek(0)

    def readable(self):
        return True

    def seekable(self):
        return True

    def readinto(self, buffer):
        data = self._file.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def seek(self, offset, whence=io.SEEK_SET):
        return self._file.seek(offset, whence)

    def tell(self):
        return self._file.tell()


def _refuse_zip_bomb(binary) -> None:
    """An .xlsx is a zip: what its directory says it unpacks to is checked before openpyxl inflates it."""
    binary.seek(0)
    with zipfile.ZipFile(_Readable(binary)) as archive:
        unpacked = sum(member.file_size for member in archive.infolist())
    binary.seek(0)
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise FileRefused(_("This .xlsx file unpacks to %(size)d MB, more than can be imported. Split it into "
                            "smaller files.") % {"size": unpacked // 1024 // 1024})
