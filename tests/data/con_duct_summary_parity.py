#!/usr/bin/env python3
"""Writes con_duct_summary_parity.json: what con-duct 0.23.0's own SummaryFormatter prints.

duct re-implements con-duct's summary formatter (src/summary/ on top of crates/pyfmt);
its test `summary::tests::matches_con_duct_0_23_0_output` renders every case below and
compares with the text recorded here. Each case is a template, whether colours are on,
and the fields that differ from BASE (a real run's execution_summary).

Run it with the con-duct 0.23.0 reference that contrib/setup-debian.sh installs:

    target/con-duct-venv/bin/python tests/data/con_duct_summary_parity.py          # rewrite the file
    target/con-duct-venv/bin/python tests/data/con_duct_summary_parity.py --check  # exit 1 if it would change

To add a case, add it to CASES and run the script; never edit the JSON by hand.
"""

import json
import logging
import os
import pathlib
import platform
import sys
import time

os.environ["TZ"] = "UTC"  # for !D: datetime.fromtimestamp reads the local zone
time.tzset()

import con_duct  # noqa: E402
from con_duct._duct_main import EXECUTION_SUMMARY_FORMAT  # noqa: E402
from con_duct._formatter import SummaryFormatter  # noqa: E402

# con-duct warns on stderr for each field it falls back to str() for; several cases are there for that.
logging.getLogger("con-duct").addHandler(logging.NullHandler())

OUTPUT = pathlib.Path(__file__).with_name("con_duct_summary_parity.json")

# The execution_summary of a real con-duct run (python3 work.py), key order as con-duct writes it.
BASE = {'exit_code': 0, 'command': 'python3 work.py', 'logs_prefix': '.duct/logs/2026.11.25T06.08.58-7095_', 'wall_clock_time': 4.7384185791015625, 'peak_rss': 342945792, 'average_rss': 277907865.6, 'peak_vsz': 348749824, 'average_vsz': 290793472.0, 'peak_pmem': 1.2000000000000002, 'average_pmem': 0.9700000000000002, 'peak_pcpu': 192.89999999999998, 'average_pcpu': 135.32999999999998, 'num_samples': 10, 'num_reports': 6, 'start_time': 1795586938.579589, 'end_time': 1795586943.3180075, 'working_directory': '/tmp/ductrun'}

# Every field null: what a run that measured nothing records.
ALL_NULL = {key: None for key in BASE}

# Templates: con-duct's default, then its conversions (!T !P !S !E !X !N !D), then Python's
# format-spec mini-language for int, float and str, nesting, literals, and list/dict values.
T1 = '{wall_clock_time!T}'
T2 = '{peak_pmem!P}'
T3 = '{peak_rss!S}|{peak_rss!S:>12}'
T4 = '{num_samples:>8}|{num_samples:<8}|{num_samples:^8}|{num_samples:08}|{num_samples:+d}|{num_samples: d}|{num_samples:,}|{num_samples:_}|{num_samples:_x}|{num_samples:#x}|{num_samples:#X}|{num_samples:#b}|{num_samples:o}|{num_samples:#o}|{num_samples:e}|{num_samples:%}|{num_samples:.2f}|{num_samples:n}|{num_samples:0=8}|{num_samples:010,}|{num_samples:*<+8}|{num_samples:g}|{num_samples:_b}'
T5 = '{num_samples:c}|{num_samples:>3c}'
T6 = '{average_rss:,.2f}|{average_rss:e}|{average_rss:.3e}|{average_rss:E}|{average_rss:g}|{average_rss:.3g}|{average_rss:G}|{average_rss:.1%}|{average_rss}|{average_rss!r}|{average_rss:10.3f}|{average_rss:*^14.1f}|{average_rss:=+16.1f}|{average_rss:016,.2f}|{average_rss:.3}|{average_rss:20}|{average_rss:<20}|{average_rss:#.0f}|{average_rss:#g}|{average_rss:n}|{average_rss:.0f}|{average_rss:z.1f}|{average_rss:_.1f}|{average_rss:F}|{average_rss:.12g}|{average_rss:.25f}'
T7 = '{average_rss:.0e}|{average_rss:.2f}|{average_rss:.1f}|{average_rss:.0f}|{average_rss:.3}|{average_rss:.0g}|{average_rss:#.3}'
T8 = '{average_rss:.0f}|{average_rss:.1f}|{average_rss:.2f}|{average_rss:.0e}|{average_rss:.1e}|{average_rss:.1g}|{average_rss:.2g}|{average_rss:.1}|{average_rss:.2}'
T9 = '{command:>20}|{command:.5}|{command:*^21}|{command!r}|{command!a}|{command:.2f}|{command:20.3}|{command:^}|{command!s:>18}|{command!r:<22}|{command:05}|{command:x<18}|{command:s}|{command:=5}|{command:+}|{command:d}|{command:,}'
T10 = '{exit_code:>3!E}|{exit_code:d!E}|{peak_rss:.0f!S}|{peak_pmem:.2f!}|{exit_code!E:>3}|{exit_code!N:>4}|{exit_code!X}|{num_samples!X}|{command!X}|{peak_pmem:.2f!N}|{peak_pmem:!<8}|{peak_pmem:.1f!r}|{command:>6!s}'
T11 = '{peak_rss}|{peak_rss:>10}|{peak_rss!s}|{peak_rss!r}|{peak_rss!N}|{peak_rss!X}|{peak_rss!E}|{peak_rss!P}|{peak_rss!T}|{peak_rss!D}|{peak_rss:.2f!N}|{peak_rss!S}|{peak_rss!a}|{peak_rss!s:>6}|{peak_rss!N:>3}'
T12 = '{exit_code!E}|{exit_code!X}|{exit_code!N}'
T13 = '{exit_code!E}|{exit_code!X}|{exit_code!N}|{exit_code}'
T14 = '{exit_code}|{exit_code:>6}|{exit_code:d}|{exit_code:.1f}|{exit_code:x}|{exit_code:n}|{exit_code:s}'
T15 = '{wall_clock_time:.{num_reports}f}|{wall_clock_time:{logs_prefix}}|{command:{num_samples}}|{peak_rss:>{average_rss}}'
T16 = '{{literal}} {exit_code} }}{{ {{{exit_code}}}'
T17 = ""
T18 = 'no fields at all\n'
T19 = '{working_directory}|{working_directory!r}|{working_directory!s:.3}|{working_directory!a}'
T20 = '{working_directory}|{working_directory!r}|{working_directory!s:>25}'
T21 = '{peak_pmem:.2f!N}% {peak_pcpu:.2f!N}%'
T22 = '{start_time:.6f}|{start_time}|{end_time!r}|{start_time:,.0f}|{start_time:.2e}'
T23 = '{num_reports:10,}|{num_reports:^+10}|{num_reports:-^10}|{num_reports:0>5}|{num_reports:0<5}|{num_reports:0^5}|{num_reports:05d}|{num_reports:=5}|{num_reports:#010x}|{num_reports:#010_b}'

CASES = [
    (EXECUTION_SUMMARY_FORMAT, {}, False),
    (EXECUTION_SUMMARY_FORMAT, ALL_NULL, False),
    (EXECUTION_SUMMARY_FORMAT, {}, True),
    (EXECUTION_SUMMARY_FORMAT, ALL_NULL, True),
    (EXECUTION_SUMMARY_FORMAT, {'exit_code': 1, 'wall_clock_time': 0.0005, 'peak_rss': 1, 'average_rss': 999.9, 'peak_vsz': 0, 'average_vsz': 1e+25, 'peak_pmem': 0}, True),
    (EXECUTION_SUMMARY_FORMAT, {'exit_code': 137, 'command': "sleep 'x'\nnext", 'peak_rss': -1, 'average_rss': 1000, 'peak_vsz': 999999, 'average_vsz': 1e+30}, False),
    *[(T1, {'wall_clock_time': v}, False) for v in (5.0, 59.999, 59.996, 60, 61.25, 3599.96, 3600, 7325.5, 259201.25, 0, -3.5, '90')],
    (T2, {}, False),
    *[(T2, {'peak_pmem': v}, False) for v in (0, 100, -0.005, '3.14159', True)],
    *[(T3, {'peak_rss': v}, False) for v in (0, 1, -1, 2, 999, 999.99, 1000, 1049.9, 999999, 1000000, 1.5, -2500, 1e+30, 12345678901234567890, '2048', ' 1_000_000 ', True, False)],
    (T4, {}, False),
    *[(T4, {'num_samples': v}, False) for v in (0, -42, 1234567, 255)],
    (T5, {'num_samples': 65}, False),
    (T6, {}, False),
    *[(T6, {'average_rss': v}, False) for v in (1.2000000000000002, 0.0, -0.0, 1e+16, 1e-05, 0.0001, 123.0, 5e-324, 1.7976931348623157e+308, 0.125, 0.375, 2.5, 2.675, 1234567.0, 0.5, -0.001, 1e+22, 0.1, 100.0, 999999.5, 9.9999e-05, 1e-10, 123456789012345.67)],
    (T7, {'average_rss': 0.5}, False),
    *[(T8, {'average_rss': v}, False) for v in (0.125, 0.375, 2.5, 1.5, 0.045, 1.0, 10.0, 0.05)],
    (T9, {}, False),
    *[(T9, {'command': v}, False) for v in ('héllo wörld ✓', "it's", 'say "hi" and \'bye\'', 'tab\there\x01\x7f\xa0\u200b😀', '')],
    (T10, {}, False),
    (T11, ALL_NULL, False),
    (T12, {'exit_code': 0.0}, False),
    (T12, {'exit_code': '0'}, False),
    *[(T13, {'exit_code': v}, False) for v in (True, False, '')],
    (T10, {}, True),
    (T11, ALL_NULL, True),
    (T12, {'exit_code': 0.0}, True),
    (T12, {'exit_code': '0'}, True),
    *[(T13, {'exit_code': v}, True) for v in (True, False, '')],
    (T14, {'exit_code': True}, False),
    (T15, {'logs_prefix': '>12.4', 'average_rss': None, 'num_samples': 20, 'num_reports': 2}, False),
    (T16, {}, False),
    (T17, {}, False),
    (T18, {}, False),
    (T19, {'working_directory': [1, 'a', None, 2.5, True, {'k': 'v'}]}, False),
    (T20, {'working_directory': {'a': 1, "b's": [None]}}, False),
    (T21, {'peak_pmem': 1e-09, 'peak_pcpu': -1e-09}, True),
    (T22, {}, False),
    (T23, {'num_reports': -98765}, False),
]


def main() -> int:
    if con_duct.__version__ != "0.23.0":
        print(f"needs con-duct 0.23.0, not {con_duct.__version__}", file=sys.stderr)
        return 2
    records = []
    for template, overrides, colors in CASES:
        values = {**BASE, **overrides}
        expected = SummaryFormatter(enable_colors=colors).format(template, **values)
        records.append({"template": template, "colors": colors, "overrides": overrides, "expected": expected})
    about = (
        f"Written by con_duct_summary_parity.py from con-duct {con_duct.__version__}'s SummaryFormatter under "
        f"CPython {platform.python_version()} (TZ=UTC); a case renders base updated with its overrides. "
        "Do not edit: change the script and run it."
    )
    lines = ["{", f' "about": {json.dumps(about)},', f' "base": {json.dumps(BASE)},', ' "cases": [']
    lines += [f"  {json.dumps(record)}," for record in records]
    lines[-1] = lines[-1].rstrip(",")
    lines += [" ]", "}"]
    text = "\n".join(lines) + "\n"
    if sys.argv[1:] == ["--check"]:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print(f"{OUTPUT} is not what con-duct prints now: run this script without --check", file=sys.stderr)
            return 1
        print(f"{OUTPUT}: {len(records)} cases, up to date")
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    print(f"wrote {len(records)} cases to {OUTPUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
