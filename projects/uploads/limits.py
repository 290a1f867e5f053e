"""How much of an upload is read and how far an archive may expand before it is refused:
the sizes every check in this package measures against, in one place so that the
messages quoting them (rejections) and the checks applying them cannot disagree."""

MIB = 1024 * 1024
MAX_ARCHIVE_MEMBERS = 10_000
MAX_ARCHIVE_BYTES = 256 * MIB
MAX_ARCHIVE_RATIO = 100
# Small archives may compress very well (a sheet of zeros) and cannot hurt anyone.
ARCHIVE_RATIO_FLOOR = 1 * MIB
# Enough to sniff a CSV and to see a binary file for what it is.
TEXT_SAMPLE_BYTES = 64 * 1024
SNIFF_ROWS = 50
YEAR_ROWS = 30
MAX_NAME_CHARS = 150
CHUNK = 1 * MIB
