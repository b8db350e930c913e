"""Decade-scale benchmarks of the registry on a synthetic regional database.

    python bench/run.py [--quick] [--json] [--db PATH] [--only startup,search,...]

Every figure comes with a baseline measured in the same run on the same machine, and the ratio
(absolute times vary between machines; ratios hold). Baselines:
- start-up and memory: a bare PySide6 window in a fresh process (both with compiled modules,
  kept in the run's temporary folder, as an installed program has them), both timed to their
  first paint;
- person search: hand-written SQL on the same columns and indexes (the FTS5 index over
  search_key for words of 3+ characters, an IIN range for 1-2 digits, LIKE on search_key
  for other short words; LIKE alone on a schema without the index), through sqlite3;
- events list, reports and the region's consolidation: the very SQL statements the program
  issued (captured from the engine), replayed through sqlite3, i.e. the cost of the queries
  without the Python layers;
- Excel: openpyxl write-only writing the same rows and values with no styling.

The database is made with bench/make_data.py when missing (cached in the system temp folder,
keyed by size, seed, month and schema revision). Benchmarks are not tests: nothing here fails
when a target is missed; `ok` says whether it was met.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import math
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import event as sa_event  # noqa: E402
from sqlalchemy.engine import Engine  # noqa: E402

from bench import make_data  # noqa: E402
from db import clock  # noqa: E402
from db.database import Database, open_database  # noqa: E402
from db.months import Month  # noqa: E402
from db.search import like_pattern, normalize  # noqa: E402

SEED = 1


# --- results -----------------------------------------------------------------------------------


@dataclass
class Figure:
    name: str
    value: float
    unit: str
    baseline: float
    ratio: float
    target: str
    ok: bool
    note: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def figure(name: str, value: float, unit: str, baseline: float, *, limit: float | None = None,
           max_ratio: float | None = None, note: str = "") -> Figure:
    """A figure whose target is an absolute limit, a ratio to the baseline, or both; `ok` is
    judged on the rounded numbers printed, so the table never contradicts itself."""
    digits = 3 if unit == "s" else 1
    value, baseline = round(value, digits), round(baseline, digits)
    ratio = round(value / baseline, 2) if baseline > 0 else math.inf
    parts, ok = [], True
    if limit is not None:
        parts.append(f"< {limit:g} {unit}")
        ok = ok and value < limit
    if max_ratio is not None:
        parts.append(f"ratio ≤ {max_ratio:g}")
        ok = ok and ratio <= max_ratio
    return Figure(name=name, value=value, unit=unit, baseline=baseline, ratio=ratio,
                  target=" and ".join(parts), ok=ok, note=note)


def p95(samples: list[float]) -> float:
    """Nearest-rank 95th percentile."""
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def timed_ms(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# --- the database ------------------------------------------------------------------------------


def cached_database_path(quick: bool) -> Path:
    """One cached database per size, seed, data version, month and schema revision."""
    from db.migrate import head_revision

    month = Month.of(clock.today()).previous()
    name = (f"qadam-bench-{'quick' if quick else 'full'}-s{SEED}-v{make_data.DATA_VERSION}-"
            f"{month}-{head_revision()}.db")
    return Path(tempfile.gettempdir()) / "qadam-bench" / name


def ensure_database(path: Path, quick: bool) -> None:
    if path.exists():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
    log(f"making the {'quick' if quick else 'full'} database {path} …")
    counts = make_data.make_database(partial, make_data.QUICK if quick else make_data.FULL,
                                     seed=SEED)
    os.replace(partial, path)
    log(f"made in {counts['seconds']} s")


def prune_cache(keep: Path) -> None:
    """Remove the cached databases of the same size made for another month, schema or data
    version (a full one is about 0.5 GB), and leftovers of interrupted runs."""
    kind = keep.name.split("-s", 1)[0]  # qadam-bench-full / qadam-bench-quick
    for old in keep.parent.glob(f"{kind}-*"):
        if old != keep and not old.name.startswith(keep.name):
            old.unlink(missing_ok=True)


def raw_connection(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(str(path))
    connection.execute("PRAGMA query_only=ON")
    return connection


@contextmanager
def captured_sql(engine: Engine) -> Iterator[list[tuple[str, Any]]]:
    """The statements (with their DBAPI parameters) the program sends while the block runs."""
    statements: list[tuple[str, Any]] = []

    def remember(_conn: object, _cursor: object, statement: str, parameters: Any,
                 _context: object, _executemany: bool) -> None:
        statements.append((statement, parameters))

    sa_event.listen(engine, "before_cursor_execute", remember)
    try:
        yield statements
    finally:
        sa_event.remove(engine, "before_cursor_execute", remember)


def replay(raw: sqlite3.Connection, statements: list[tuple[str, Any]]) -> None:
    for statement, parameters in statements:
        raw.execute(statement, parameters).fetchall()


def months_back(last: Month, count: int) -> list[Month]:
    months = [last]
    while len(months) < count:
        months.append(months[-1].previous())
    return months


# --- start-up and memory: fresh processes ------------------------------------------------------

# The window's own start after the login (desktop.app.open_main_window), the login replaced
# by looking the account up (with sqlite3, as the window reads what it shows first; a real
# start's login dialog is shown while the database is checked, and its password check loads
# the tables). "SHOWN" comes once the window was painted: its navigation, menus and status
# bar on screen; "PAGE" once its first page (the last one used) was built and filled, right
# after. The bare window says "SHOWN" once painted too.
PAINT_WATCH = """
import time
from PySide6.QtCore import QEvent, QObject

class PaintWatch(QObject):
    painted = False

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Type.Paint:
            PaintWatch.painted = True
        return False

def wait_until(app, done, what):
    deadline = time.monotonic() + 60
    while not done():
        if time.monotonic() > deadline:
            raise SystemExit(f"no {what} within 60 s")
        app.processEvents()
"""
APP_CHILD = PAINT_WATCH + """
import sys
path, mode = sys.argv[1], sys.argv[2]
from desktop.app import make_application, open_main_window
app = make_application([])
from db.database import open_database
from db.quick_read import read_account
database = open_database(path)
user = read_account(path, sys.argv[3])
window = open_main_window(database, user)
watch = PaintWatch()
window.installEventFilter(watch)
wait_until(app, lambda: PaintWatch.painted, "paint")
print("SHOWN", flush=True)
wait_until(app, lambda: bool(window.pages.built), "first page")
print("PAGE", flush=True)
if mode == "memory":
    for key in ("persons", "events"):
        window.show_page(key)
        page = window.pages[key]
        for _step in range(10):
            if page.model.canFetchMore():
                page.model.fetchMore()
            page.table.scrollToBottom()
            app.processEvents()
"""
BARE_CHILD = PAINT_WATCH + """
import sys
mode = sys.argv[2]
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
window = QMainWindow()
window.setWindowTitle("bare")
window.resize(1200, 760)
window.show()
watch = PaintWatch()
window.installEventFilter(watch)
wait_until(app, lambda: PaintWatch.painted, "paint")
print("SHOWN", flush=True)
"""
MEMORY_TAIL = """
import json, os, resource
status = dict(line.split(":", 1) for line in open("/proc/self/status") if ":" in line)
hwm_kb = int(status.get("VmHWM", "0 kB").split()[0]) or resource.getrusage(
    resource.RUSAGE_SELF).ru_maxrss
print("MEMORY", json.dumps({"peak_mb": hwm_kb / 1024}), flush=True)
os._exit(0)
"""


def run_child(code: str, db_path: Path, mode: str, env: dict[str, str]) -> tuple[float, dict]:
    """Seconds from launching the process to the window shown, and what it printed after
    (`page_s`: seconds to its first page, when it has pages)."""
    with tempfile.TemporaryFile() as errors:
        started = time.perf_counter()
        process = subprocess.Popen(
            [sys.executable, "-c", code + MEMORY_TAIL, str(db_path), mode,
             make_data.BENCH_LOGIN], cwd=ROOT, env=env, stdout=subprocess.PIPE,
            stderr=errors, text=True)
        assert process.stdout is not None
        shown = None
        extra: dict = {}
        for line in process.stdout:
            if line.startswith("SHOWN") and shown is None:
                shown = time.perf_counter() - started
            elif line.startswith("PAGE"):
                extra["page_s"] = time.perf_counter() - started
            elif line.startswith("MEMORY"):
                extra.update(json.loads(line.split(" ", 1)[1]))
        process.wait(timeout=120)
        if shown is None or process.returncode != 0:
            errors.seek(0)
            raise RuntimeError(f"the window process failed ({process.returncode}):\n"
                               + errors.read().decode(errors="replace")[-3000:])
    return shown, extra


def child_env(data_dir: Path) -> dict[str, str]:
    """Compiled modules are kept in the run's folder (not in the source tree), so the warm-up
    compiles them once and the measured starts load them, as an installed program does."""
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", QADAM_DATA_DIR=str(data_dir),
               QADAM_LANG="ru", PYTHONPYCACHEPREFIX=str(data_dir.parent / "pycache"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env.pop("PYTHONPATH", None)
    return env


def bench_startup(db_path: Path, quick: bool, data_dir: Path) -> list[Figure]:
    env = child_env(data_dir)
    runs = 3 if quick else 11
    app_times: list[float] = []
    page_times: list[float] = []
    bare_times: list[float] = []
    run_child(APP_CHILD, db_path, "start", env)  # warm-up: file cache, .pyc, fontconfig
    run_child(BARE_CHILD, db_path, "start", env)
    for _run in range(runs):  # alternated, so a busy moment hits both
        shown, extra = run_child(APP_CHILD, db_path, "start", env)
        app_times.append(shown)
        page_times.append(extra["page_s"])
        bare_times.append(run_child(BARE_CHILD, db_path, "start", env)[0])
    app_peak = run_child(APP_CHILD, db_path, "memory", env)[1]["peak_mb"]
    bare_peak = run_child(BARE_CHILD, db_path, "memory", env)[1]["peak_mb"]
    return [
        figure("start-up to the main window shown", statistics.median(app_times), "s",
               statistics.median(bare_times), max_ratio=1.5,
               note=f"median of {runs} fresh processes, to the window painted (its first "
                    f"page built and filled at {statistics.median(page_times):.3f} s); "
                    f"baseline: bare PySide6 window painted"),
        figure("peak memory, window open, persons and events scrolled", app_peak, "MB",
               bare_peak, limit=250,
               note="VmHWM after 10 fetchMore on each list; baseline: bare PySide6 window"),
    ]


# --- person search -----------------------------------------------------------------------------


def search_fragments(db: Database, quick: bool) -> dict[str, list[str]]:
    """Fragments as users type them, drawn from the data (seeded), plus a few misses."""
    import random

    rng = random.Random(SEED)
    kazakh_letters = set("әғқңөұүһі")
    with db.engine.connect() as connection:
        names = [tuple(r) for r in connection.exec_driver_sql(
            "SELECT surname, name, patronymic FROM person ORDER BY id LIMIT 5000")]
        iins = [r[0] for r in connection.exec_driver_sql(
            "SELECT iin FROM person WHERE iin IS NOT NULL ORDER BY id LIMIT 5000")]
    words = [normalize(w) for name in names for w in name]
    kazakh = sorted({w for w in words if kazakh_letters & set(w)})
    cyrillic = sorted({w for w in words if not kazakh_letters & set(w)})
    count = 20 if quick else 30

    def pieces(pool: list[str], need_kazakh: bool) -> list[str]:
        found: list[str] = []
        while len(found) < count:
            word = rng.choice(pool)
            size = rng.randint(3, min(7, len(word)))
            start = rng.randint(0, len(word) - size)
            piece = word[start:start + size]
            if need_kazakh and not kazakh_letters & set(piece):
                continue
            found.append(piece)
        return found

    cyr = ["иванов", "семен", "петр", "алёна", "ович"] + pieces(cyrillic, False)
    cyr += ["щукинск", "иванов петр"]  # a miss, and two words
    kaz = ["құдай", "әлі", "нұрлан", "ғали", "іңкәр"] + pieces(kazakh, True)
    kaz += ["шаһарбану", "ңқә", "қасымов ерлан"]
    iin = [rng.choice(iins)[:size] for size in (2, 4, 6, 8, 10, 12)
           for _i in range(max(1, count // 6))]
    iin += ["999999"]
    return {"Cyrillic": cyr, "Kazakh": kaz, "IIN prefix": iin}


RAW_PERSON_COLUMNS = ("p.id, p.surname, p.name, p.patronymic, p.iin, p.birth_date, p.sex, "
                      "p.status, p.facility_id, p.release_date, p.phone, p.district, f.code")


def person_fts_table(raw: sqlite3.Connection) -> str | None:
    """An FTS5 index over persons, if the schema has one (the baseline then uses it too)."""
    row = raw.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE "
                      "'person%' AND sql LIKE '%USING fts5%' ORDER BY name").fetchone()
    return row[0] if row else None


def raw_person_search(raw: sqlite3.Connection, text: str, fts: str | None) -> tuple[int, list]:
    """The same search by hand on the same columns and indexes: words of 3+ characters through
    the FTS5 index when there is one, 1-2 digits as an IIN prefix range when there is one,
    other words by LIKE on person.search_key; the page by the sort_key index."""
    words = normalize(text).split()
    indexed = [w for w in words if fts and len(w) >= 3]
    prefixes = [w for w in words if fts and len(w) < 3 and w.isascii() and w.isdigit()]
    where: list[str] = []
    params: list[str] = []
    for word in words:
        if word in prefixes:
            where.append("p.iin >= ? AND p.iin < ?")
            params += [word, word[:-1] + chr(ord(word[-1]) + 1)]
        elif word not in indexed:
            where.append("p.search_key LIKE ? ESCAPE '\\'")
            params.append(like_pattern(word))
    phrase = " ".join('"' + w.replace('"', '""') + '"' for w in indexed)
    if indexed:
        where.insert(0, f"p.id IN (SELECT rowid FROM {fts} WHERE {fts} MATCH ?)")
        params.insert(0, phrase)
    condition = " AND ".join(where) or "1"
    if indexed and len(indexed) == len(words):
        total = raw.execute(f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ?",
                            (phrase,)).fetchone()
    else:
        total = raw.execute(f"SELECT count(*) FROM person AS p WHERE {condition}",
                            params).fetchone()
    rows = raw.execute(
        f"SELECT {RAW_PERSON_COLUMNS} FROM person AS p LEFT JOIN facility AS f "
        f"ON f.id = p.facility_id WHERE {condition} ORDER BY p.sort_key, p.id LIMIT 200",
        params).fetchall()
    return total[0], rows


def bench_search(db: Database, raw: sqlite3.Connection, quick: bool) -> list[Figure]:
    from db.ops import browse
    from db.ops.persons import PersonFilter, count_persons

    def app_search(text: str) -> None:
        # as the persons page reloads: the count, then the first page, each in its session
        f = PersonFilter(search=text)
        with db.session() as session:
            count_persons(session, f)
        with db.session() as session:
            browse.person_rows(session, f, sort="full_name", offset=0, limit=200)

    figures = []
    repeats = 2 if quick else 3
    fts = person_fts_table(raw)
    for kind, fragments in search_fragments(db, quick).items():
        for text in fragments[:3]:  # warm-up
            app_search(text)
            raw_person_search(raw, text, fts)
        app: list[float] = []
        base: list[float] = []
        for _repeat in range(repeats):
            for text in fragments:
                app.append(timed_ms(lambda t=text: app_search(t)))
                base.append(timed_ms(lambda t=text: raw_person_search(raw, t, fts)))
        figures.append(figure(
            f"person search, {kind} (count + first 200, p95)", p95(app), "ms", p95(base),
            limit=30, max_ratio=2,
            note=f"{len(fragments)} queries × {repeats}; baseline: raw SQL on search_key "
                 f"({'FTS5 ' + fts if fts else 'LIKE'}) ordered by sort_key"))
    return figures


# --- events list of one month --------------------------------------------------------------------


def bench_events(db: Database, raw: sqlite3.Connection, months: list[Month]) -> list[Figure]:
    from db.ops import browse
    from db.ops.events import EventFilter, count_events

    def first_screen(month: Month) -> None:
        f = EventFilter(month=month)
        with db.session() as session:
            count_events(session, f)
        with db.session() as session:
            browse.event_rows(session, f, language="ru", offset=0, limit=200)

    first_screen(months[0])
    app: list[float] = []
    base: list[float] = []
    for _repeat in range(3):
        for month in months:
            with captured_sql(db.engine) as statements:
                app.append(timed_ms(lambda m=month: first_screen(m)))
            base.append(timed_ms(lambda s=statements: replay(raw, s)))
    return [figure("events list of one month (count + first 200, p95)", p95(app), "ms",
                   p95(base), limit=100,
                   note=f"{len(months)} months × 3; baseline: the same SQL replayed")]


# --- monthly reports -----------------------------------------------------------------------------


def bench_reports(db: Database, raw: sqlite3.Connection, last: Month, quick: bool
                  ) -> list[Figure]:
    from reports.monthly import build_monthly_report

    with db.session() as session:
        facility_ids = [r[0] for r in session.connection().exec_driver_sql(
            "SELECT id FROM facility ORDER BY id")]

    def build(facility_id: int, month: Month) -> object:
        with db.session() as session:
            return build_monthly_report(session, facility_id=facility_id, month=month)

    build(facility_ids[0], last)  # warm-up
    # one facility-month: every facility, last month and last December (the longest year)
    december = Month(last.year - 1, 12)
    app: list[float] = []
    base: list[float] = []
    for month in (last, december):
        for facility_id in facility_ids:
            with captured_sql(db.engine) as statements:
                app.append(timed_ms(lambda f=facility_id, m=month: build(f, m)))
            base.append(timed_ms(lambda s=statements: replay(raw, s)))
    figures = [figure("monthly report figures, one facility-month (p95)", p95(app), "ms",
                      p95(base), limit=300,
                      note=f"{len(app)} facility-months; baseline: the same SQL replayed")]

    # region-month: the consolidated report of every facility's last month, as the region's
    # page and the consolidate command build it
    from reports.consolidated import build_region_report

    def consolidate() -> object:
        with db.session() as session:
            return build_region_report(session, month=last)

    region: list[float] = []
    region_base: list[float] = []
    for _repeat in range(2 if quick else 3):
        with captured_sql(db.engine) as statements:
            region.append(timed_ms(consolidate) / 1000)
        region_base.append(timed_ms(lambda s=statements: replay(raw, s)) / 1000)
    figures.append(figure(
        f"region-month consolidation ({len(facility_ids)} facilities)", statistics.median(region),
        "s", statistics.median(region_base), limit=2,
        note="build_region_report of last month, median; baseline: the same SQL replayed"))
    return figures


# --- Excel export of one year --------------------------------------------------------------------


def year_report(db: Database, last: Month) -> Any:
    """One facility's 12 monthly reports ending last month, their event lists joined."""
    from reports.monthly import build_monthly_report

    with db.session() as session:
        facility_id = session.connection().exec_driver_sql(
            "SELECT facility_id FROM event GROUP BY facility_id ORDER BY count(*) DESC, "
            "facility_id LIMIT 1").scalar_one()
        reports = [build_monthly_report(session, facility_id=facility_id, month=m)
                   for m in reversed(months_back(last, 12))]
    events = [line for report in reports for line in report.events]
    return dataclasses.replace(reports[-1], events=events)


def raw_xlsx(report: Any, path: Path) -> None:
    """The same rows and values with openpyxl write-only and nothing else."""
    from openpyxl import Workbook

    from db.i18n import translate
    from reports.model import summary_rows

    wb = Workbook(write_only=True)
    form = wb.create_sheet("Отчёт")
    for row in summary_rows(report, "ru"):
        label = translate(row.label, "ru") if row.translate_label else row.label
        form.append([row.number, label, row.month, row.year])
    sheet = wb.create_sheet("Мероприятия")
    sheet.append(["№", "Дата", "Время", "Вид", "Место", "В учреждении или вне", "Темы",
                  "Организаторы", "Осуждённые", "Освобождённые", "Иные", "Всего",
                  "Поимённо", "Волонтёры", "Ответственный"])
    totals = [0] * 6
    for index, e in enumerate(report.events, start=1):
        counts = [e.count_serving, e.count_released, e.count_community, e.audience, e.named,
                  e.volunteers]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        sheet.append([index, e.event_date, e.event_time.strftime("%H:%M") if e.event_time
                      else None, e.kind_ru, e.place,
                      "в учреждении" if e.inside else "вне учреждения",
                      "; ".join(e.topics_ru), "; ".join(e.organizers_ru), *counts,
                      e.responsible])
    sheet.append([None, "Итого", None, None, None, None, None, None, *totals])
    wb.save(path)


def bench_excel(db: Database, last: Month, quick: bool, folder: Path) -> list[Figure]:
    from reports.excel import write_monthly_xlsx

    report = year_report(db, last)
    app_path, raw_path = folder / "app.xlsx", folder / "raw.xlsx"
    write_monthly_xlsx(report, app_path, language="ru")  # warm-up (imports, fonts)
    raw_xlsx(report, raw_path)
    app: list[float] = []
    base: list[float] = []
    for _repeat in range(3 if quick else 11):
        app.append(timed_ms(lambda: write_monthly_xlsx(report, app_path, language="ru")))
        base.append(timed_ms(lambda: raw_xlsx(report, raw_path)))
    return [figure(f"Excel export of one year ({len(report.events)} events)",
                   statistics.median(app), "ms", statistics.median(base), max_ratio=1.3,
                   note="write_monthly_xlsx, median; baseline: openpyxl write-only, "
                        "same values, no styles")]


# --- the run -----------------------------------------------------------------------------------


GROUPS = ("startup", "search", "events", "reports", "excel")


def run(db_path: Path, quick: bool, only: tuple[str, ...] = GROUPS) -> list[Figure]:
    last = Month.of(clock.today()).previous()
    work = Path(tempfile.mkdtemp(prefix="qadam-bench-run-"))
    try:
        data_dir = work / "data"
        data_dir.mkdir()
        os.environ["QADAM_DATA_DIR"] = str(data_dir)  # nothing here touches real settings
        figures: list[Figure] = []
        if "startup" in only:
            log("start-up and memory …")
            figures += bench_startup(db_path, quick, data_dir)
        db = open_database(db_path)
        raw = raw_connection(db_path)
        try:
            if "search" in only:
                log("person search …")
                figures += bench_search(db, raw, quick)
            if "events" in only:
                log("events list …")
                figures += bench_events(db, raw, months_back(last, 6 if quick else 12))
            if "reports" in only:
                log("monthly reports …")
                figures += bench_reports(db, raw, last, quick)
            if "excel" in only:
                log("Excel …")
                figures += bench_excel(db, last, quick, work)
        finally:
            raw.close()
            db.dispose()
        return figures
    finally:
        shutil.rmtree(work, ignore_errors=True)


def table(figures: list[Figure]) -> str:
    lines = [f"{'figure':58} {'value':>10} {'baseline':>10} {'ratio':>6}  {'target':24} ok"]
    for f in figures:
        lines.append(f"{f.name:58} {f.value:>7g} {f.unit:2} {f.baseline:>7g} {f.unit:2} "
                     f"{f.ratio:>6.2f}  {f.target:24} {'yes' if f.ok else 'NO'}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a database 1/20 of the full size and fewer repeats")
    parser.add_argument("--json", action="store_true",
                        help="print a JSON list of {name, value, unit, baseline, ratio, "
                             "target, ok}")
    parser.add_argument("--db", type=Path,
                        help="the database to measure (made there when missing); default: "
                             "a cached one in the system temp folder")
    parser.add_argument("--only", default=",".join(GROUPS),
                        help=f"comma-separated groups to measure (default: all of "
                             f"{','.join(GROUPS)})")
    args = parser.parse_args(argv)
    only = tuple(g.strip() for g in args.only.split(",") if g.strip())
    unknown = set(only) - set(GROUPS)
    if unknown:
        parser.error(f"unknown groups: {', '.join(sorted(unknown))}")
    db_path = args.db or cached_database_path(args.quick)
    ensure_database(db_path, args.quick)
    if args.db is None:
        prune_cache(db_path)
    started = time.perf_counter()
    figures = run(db_path, args.quick, only)
    log(f"measured in {time.perf_counter() - started:.0f} s on {db_path}")
    if args.json:
        print(json.dumps([f.as_dict() for f in figures], ensure_ascii=False, indent=2))
    else:
        print(table(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
