#!/usr/bin/env python3
"""Writes python_isprintable.txt: the code points this CPython's str.isprintable() rejects.

One line per run of code points that share a general category, `FIRST..LAST CATEGORY`
in hex, for every category CPython deems not printable (Cc Cf Cs Co Cn Zl Zp Zs, but
not the space); every code point not listed is printable. crates/pyfmt/tests/isprintable.rs
compares pyfmt::printable::is_printable with it on all of Unicode.

    target/con-duct-venv/bin/python crates/pyfmt/tests/data/python_isprintable.py          # rewrite the file
    target/con-duct-venv/bin/python crates/pyfmt/tests/data/python_isprintable.py --check  # exit 1 if it would change
"""

import pathlib
import platform
import sys
import unicodedata

OUTPUT = pathlib.Path(__file__).with_name("python_isprintable.txt")


def main() -> int:
    lines = [
        f"# Written by python_isprintable.py under CPython {platform.python_version()}, "
        f"Unicode {unicodedata.unidata_version}: the code points str.isprintable() rejects."
    ]
    run = None  # [first, last, category]
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        if char.isprintable():
            continue
        if run is not None and run[1] == code - 1 and run[2] == category:
            run[1] = code
            continue
        if run is not None:
            lines.append(f"{run[0]:04X}..{run[1]:04X} {run[2]}")
        run = [code, code, category]
    if run is not None:
        lines.append(f"{run[0]:04X}..{run[1]:04X} {run[2]}")
    text = "\n".join(lines) + "\n"
    if sys.argv[1:] == ["--check"]:
        if OUTPUT.read_text(encoding="ascii") != text:
            print(f"{OUTPUT} is not what this Python says: run this script without --check", file=sys.stderr)
            return 1
        print(f"{OUTPUT}: up to date")
        return 0
    OUTPUT.write_text(text, encoding="ascii")
    print(f"wrote {len(lines) - 1} ranges to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
