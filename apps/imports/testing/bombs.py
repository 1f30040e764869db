"""Hostile .xlsx files for the bounds tests, generated on the fly (no binary fixtures).

- `shared_string_bomb`: a valid workbook whose one cell is a 1 GB shared string (about 1 MB packed);
- `blank_rows_bomb`: five million empty rows (about 30 KB packed), or numbered ones;
- `lying_sizes`: the shared-string bomb with its directory claiming a tiny unpacked size.
"""

from __future__ import annotations

import io
import struct
import zipfile

import openpyxl

GIB = 1 << 30


def _skeleton() -> dict[str, bytes]:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["事项名称", "牵头单位", "办结时限"])
    sheet.append(["x", "法工委", "2026-12-01"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    with zipfile.ZipFile(buffer) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def _rebuild(replace: dict[str, bytes | None], big_name: str, chunks) -> bytes:  # type: ignore[no-untyped-def]
    parts = _skeleton()
    parts.update({k: v for k, v in replace.items() if v is not None})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            if name != big_name:
                archive.writestr(name, data)
        with archive.open(big_name, "w", force_zip64=False) as member:
            for chunk in chunks:
                member.write(chunk)
    return buffer.getvalue()


def shared_string_bomb(size: int = GIB) -> bytes:
    """A cell whose shared string is `size` bytes of “A”."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" '
        b'uniqueCount="1"><si><t>'
    )
    tail = b"</t></si></sst>"
    block = b"A" * (1 << 20)

    def chunks():  # type: ignore[no-untyped-def]
        yield head
        for _ in range(size // len(block)):
            yield block
        yield tail

    sheet = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        b'<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData></worksheet>'
    )
    content_types = _skeleton()["[Content_Types].xml"]
    if b"sharedStrings" not in content_types:
        content_types = content_types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    rels = _skeleton()["xl/_rels/workbook.xml.rels"]
    if b"sharedStrings" not in rels:
        rels = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    return _rebuild(
        {
            "xl/worksheets/sheet1.xml": sheet,
            "[Content_Types].xml": content_types,
            "xl/_rels/workbook.xml.rels": rels,
        },
        "xl/sharedStrings.xml",
        chunks(),
    )


def blank_rows_bomb(rows: int = 5_000_000, *, numbered: bool = False) -> bytes:
    """A worksheet of `rows` empty row elements: `<row/>` (packs to about 1/1000), or
    `<row r="N"/>` (packs only to about 1/7: passes the archive checks, stopped by the row cap)."""

    def chunks():  # type: ignore[no-untyped-def]
        yield (
            b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>"
        )
        step = 10_000
        for start in range(1, rows + 1, step):
            stop = min(start + step, rows + 1)
            if numbered:
                yield "".join(f'<row r="{n}"/>' for n in range(start, stop)).encode()
            else:
                yield b"<row/>" * (stop - start)
        yield b"</sheetData></worksheet>"

    return _rebuild({}, "xl/worksheets/sheet1.xml", chunks())


def lying_sizes(data: bytes, member: str = "xl/sharedStrings.xml", claimed: int = 1000) -> bytes:
    """`data` with `member`'s unpacked size rewritten to `claimed` in its local header and in the
    central directory (the CRC is left alone, so only a reader that unpacks too much can tell)."""
    patched = bytearray(data)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(member)
    struct.pack_into("<I", patched, info.header_offset + 22, claimed)
    name = member.encode()
    start = 0
    while (start := data.find(b"PK\x01\x02", start)) != -1:
        name_length = struct.unpack_from("<H", data, start + 28)[0]
        if data[start + 46 : start + 46 + name_length] == name:
            struct.pack_into("<I", patched, start + 24, claimed)
        start += 4
    return bytes(patched)


def many_shared_strings(count: int) -> bytes:
    """`count` distinct shared strings: at the cell limit, the most a file that passes the
    archive checks can make openpyxl hold."""
    head = (
        b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    )

    def chunks():  # type: ignore[no-untyped-def]
        yield head
        for start in range(0, count, 10_000):
            stop = min(start + 10_000, count)
            yield "".join(
                f"<si><t>名称{n * 7919 % 1000003}</t></si>" for n in range(start, stop)
            ).encode()
        yield b"</sst>"

    skeleton = _skeleton()
    content_types = skeleton["[Content_Types].xml"]
    rels = skeleton["xl/_rels/workbook.xml.rels"]
    if b"sharedStrings" not in content_types:
        content_types = content_types.replace(
            b"</Types>",
            b'<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        )
    if b"sharedStrings" not in rels:
        rels = rels.replace(
            b"</Relationships>",
            b'<Relationship Id="rIdSST" Type="http://schemas.openxmlformats.org/officeDocument/'
            b'2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        )
    return _rebuild(
        {"[Content_Types].xml": content_types, "xl/_rels/workbook.xml.rels": rels},
        "xl/sharedStrings.xml",
        chunks(),
    )
