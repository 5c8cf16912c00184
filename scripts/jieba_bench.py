#!/usr/bin/env python3
"""Baseline for `make bench-compare`: what a Python script doing jixiao's
first job would reach. For every report it decodes the text, pulls the
organisation, the year and every amount with regular expressions, and cuts
the text into words with jieba; it loops over the reports for a fixed time
in one process (one core, dictionary loaded first) and prints the rate as
JSON: {"reports": N, "seconds": S, "cpu_seconds": C, "reports_per_s": R,
"reports_per_cpu_s": N/C}.

With --once it is the whole command a user would run instead of `jixiao
extract FILE...`: it loads jieba, reads every file once, prints one JSON
line per report and exits; time it from outside.

Usage: jieba_bench.py [--seconds S] FILE...
       jieba_bench.py --once FILE...
"""
import argparse
import json
import re
import sys
import time

import jieba

ORG_RE = re.compile(r"(?:单位名称|部门名称|主管部门|实施单位|单位)[:：]\s*(\S+?)(?:\s|$)"
                    r"|([\u4e00-\u9fff（）()]{2,30}?(?:委员会|红十字会|管理局|人民政府|办公室|中心|厅|局|会|院|所))")
YEAR_RE = re.compile(r"([0-9０-９]{4})\s*年度")
AMOUNT_RE = re.compile(r"([0-9０-９][0-9０-９,，]*(?:[.．][0-9０-９]+)?)\s*(亿元|万元|千元|元)")
RATE_RE = re.compile(r"执行率[^0-9０-９]{0,6}([0-9０-９]+(?:[.．][0-9０-９]+)?)\s*[%％]")


def decode(data):
    for enc in ("utf-8-sig", "gb18030", "utf-16"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    raise ValueError("undecodable")


def extract(data):
    text = decode(data).replace("\r\n", "\n").replace("\f", "\n")
    org = ORG_RE.search(text)
    year = YEAR_RE.search(text)
    amounts = [(m.group(1), m.group(2)) for m in AMOUNT_RE.finditer(text)]
    rate = RATE_RE.search(text)
    words = jieba.lcut(text)
    return {
        "organization": org and (org.group(1) or org.group(2)),
        "year": year and year.group(1),
        "amounts": amounts,
        "rate": rate and rate.group(1),
        "words": len(words),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seconds", type=float, default=3.0)
    ap.add_argument("--once", action="store_true", help="read each file once, print each result, exit")
    ap.add_argument("files", nargs="+")
    args = ap.parse_args()
    jieba.setLogLevel(60)
    jieba.initialize()
    if args.once:
        for name in args.files:
            with open(name, "rb") as f:
                json.dump(extract(f.read()), sys.stdout, ensure_ascii=False)
            print()
        return
    reports = []
    for name in args.files:
        with open(name, "rb") as f:
            reports.append(f.read())
    for data in reports:  # warm up
        extract(data)
    done = 0
    cpu_start = time.process_time()
    start = time.perf_counter()
    while time.perf_counter() - start < args.seconds:
        for data in reports:
            extract(data)
            done += 1
    elapsed = time.perf_counter() - start
    cpu = time.process_time() - cpu_start
    json.dump({"reports": done, "seconds": round(elapsed, 3),
               "cpu_seconds": round(cpu, 3),
               "reports_per_s": round(done / elapsed, 1),
               "reports_per_cpu_s": round(done / cpu, 1)}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
