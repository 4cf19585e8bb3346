#!/usr/bin/env python3
"""Writes the corpus files that a text editor cannot make (or makes too easily by mistake):
empty and blank files, a 1 MiB line, 10,000 nested groups, Latin-1 and binary bytes, a BOM,
a NUL byte. Deterministic: running it twice writes the same bytes.

    python3 tests/corpus/make_bad_inputs.py

Each entry says what is wrong and which diagnostic is expected; the files that can hold
text start with the same `#` comment line as the rest of the corpus.
"""
import struct
import zlib
from pathlib import Path

OUT = Path(__file__).resolve().parent / "invalid"

MIB = 1 << 20


def empty() -> bytes:
    # declic::empty_file (a warning): 0 bytes, no trigger (and no room for a comment).
    return b""


def only_comments() -> bytes:
    return (
        "# empty file: only comments, no trigger; expect declic::empty_file (a warning)\n"
        "# Règles de la messagerie (à venir)\n"
        "#\n"
        "# trigger \"Not yet\" {\n"
        "#   when all { Canal is Messagerie }\n"
        "#   then { send CSAT }\n"
        "# }\n"
    ).encode("utf-8")


def only_blank_lines() -> bytes:
    # declic::empty_file (a warning): blank lines, some holding spaces or tabs, nothing else.
    return b"\n\n  \n\t\n\n \t \n\n"


def huge_value_line() -> bytes:
    # A condition whose value is one 1 MiB word: it parses, and the checker must report the
    # unknown channel without choking on its length (did-you-mean, message, rendering).
    word = ("Messagerie" * (MIB // 10 + 1))[:MIB]
    text = (
        "# unknown value: the channel is one 1 MiB word; expect declic::unknown_value "
        "(message and did-you-mean must stay short), plus the warning declic::rule_too_large "
        "since the trigger is over 64 KiB\n"
        "trigger \"Huge channel name\" {\n"
        "  when all {\n"
        "    Ticket is Created\n"
        f"    Canal is {word}\n"
        "  }\n"
        "  then {\n"
        "    Tags += huge\n"
        "  }\n"
        "}\n"
    )
    return text.encode("utf-8")


def deep_nesting() -> bytes:
    # 10,000 nested `all {` groups, never closed: the depth guard must stop before the
    # parser recurses.
    head = (
        "# too deep: 10,000 nested `all {` groups; expect declic::too_deep\n"
        "trigger \"Deep\" {\n"
        "  when all {\n"
    )
    return (head + "all {\n" * 10_000).encode("utf-8")


def latin1() -> bytes:
    # A valid French trigger, saved as Latin-1: `é` is the single byte 0xE9.
    text = (
        "# not utf-8: this French trigger is encoded in Latin-1; expect declic::not_utf8\n"
        "déclencheur \"Priorité basse pour les réponses automatiques\" {\n"
        "  quand tous {\n"
        "    Ticket est Créé\n"
        "    Objet contient \"Réponse automatique\"\n"
        "  }\n"
        "  alors {\n"
        "    Priorité = Basse\n"
        "    Balises += réponse_auto\n"
        "  }\n"
        "}\n"
    )
    data = text.encode("latin-1")
    assert b"\xe9" in data
    return data


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def binary_png() -> bytes:
    # A 256-byte PNG (signature, IHDR, IDAT, padding text chunk, IEND): NUL bytes from the
    # fourth byte on. It is not UTF-8 either (0x89); binary detection should win.
    ihdr = struct.pack(">IIBBBBB", 8, 8, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"".join(b"\x00" + bytes(range(i * 8, i * 8 + 8)) for i in range(8)), 9)
    head = b"\x89PNG\r\n\x1a\n" + png_chunk(b"IHDR", ihdr) + png_chunk(b"IDAT", idat)
    tail = png_chunk(b"IEND", b"")
    pad = 256 - len(head) - len(tail) - 12
    data = head + png_chunk(b"tEXt", b"Comment\x00" + b"declic corpus"[: max(0, pad - 8)].ljust(pad - 8, b".")) + tail
    assert len(data) == 256, len(data)
    return data


def bom_unknown_field() -> bytes:
    # A UTF-8 byte order mark, accepted, then a trigger with one unknown field.
    text = (
        "# unknown field: the file starts with a UTF-8 BOM (accepted) and `Statuss` is a typo of "
        "`Status`; expect declic::unknown_field with did-you-mean `Status`\n"
        "trigger \"Pending tickets answered by the requester\" {\n"
        "  when all {\n"
        "    Statuss is Pending\n"
        "    Current user is End user\n"
        "  }\n"
        "  then {\n"
        "    Status = Open\n"
        "  }\n"
        "}\n"
    )
    return "\ufeff".encode("utf-8") + text.encode("utf-8")


def nul_byte() -> bytes:
    # Valid UTF-8 text with one NUL byte in a tag: binary, not a rule file.
    text = (
        "# binary file: valid text but for one NUL byte in a tag; expect declic::binary_file\n"
        "trigger \"VIP chats\" {\n"
        "  when all {\n"
        "    Channel is Chat\n"
        "    Tags includes vip\n"
        "  }\n"
        "  then {\n"
        "    Tags += vip\x00chat\n"
        "  }\n"
        "}\n"
    )
    return text.encode("utf-8")


FILES = {
    "80-empty.declic": empty,
    "81-only-comments.declic": only_comments,
    "82-only-blank-lines.declic": only_blank_lines,
    "83-huge-value-line.declic": huge_value_line,
    "84-deep-nesting.declic": deep_nesting,
    "85-latin1-encoding.declic": latin1,
    "86-binary-png.declic": binary_png,
    "87-bom-unknown-field.declic": bom_unknown_field,
    "88-nul-byte.declic": nul_byte,
}

# The diagnostic each file should produce; the files without room for a comment line (the
# empty, blank and binary ones) are listed here and in README.md.
EXPECTED = {
    "80-empty.declic": "declic::empty_file",
    "81-only-comments.declic": "declic::empty_file",
    "82-only-blank-lines.declic": "declic::empty_file",
    "83-huge-value-line.declic": "declic::unknown_value",  # + warning declic::rule_too_large
    "84-deep-nesting.declic": "declic::too_deep",
    "85-latin1-encoding.declic": "declic::not_utf8",
    "86-binary-png.declic": "declic::binary_file",
    "87-bom-unknown-field.declic": "declic::unknown_field",
    "88-nul-byte.declic": "declic::binary_file",
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, make in FILES.items():
        data = make()
        (OUT / name).write_bytes(data)
        print(f"{name}: {len(data)} bytes, expect {EXPECTED[name]}")


if __name__ == "__main__":
    main()
