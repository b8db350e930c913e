"""A seeded synthetic REGIONAL database for the benchmarks: ten years of a whole region.

    python bench/make_data.py [--out PATH] [--quick] [--seed N]

The schema is the program's own (open_database migrates an empty file to head) and the reference
lists and first account come from db.ops.setup.initialize; facilities go through
db.ops.facilities. The bulk of the rows (persons, events and their links, attendances,
volunteers, participations, outcomes, and the "create" audit entry the operations write for each
record) goes in through SQLAlchemy Core, `connection.execute(insert(table), rows)` (executemany)
in chunks of 10,000, one transaction per table, on one connection whose journal is in memory
with synchronous=OFF and foreign keys checked once at the end (WAL is restored afterwards).
Keys the program computes in Python (person search and sort keys, event search keys, IINs) are
computed by the program's own functions. The month_lock tables are left empty.

Full size: about 90 s and 0.56 GB here (the person search index is filled as persons go in);
--quick (1/20): about 4 s.

The same seed and the same current month give the same database.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import json
import random
import sys
import time
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from sqlalchemy import Table, insert  # noqa: E402
from sqlalchemy.engine import Connection  # noqa: E402
from sqlmodel import SQLModel  # noqa: E402

from db import clock  # noqa: E402
from db.collation import person_sort_key  # noqa: E402
from db.database import open_database  # noqa: E402
from db.iin import make_iin  # noqa: E402
from db.models import Event, FacilityCreate, UserCreate  # noqa: E402
from db.months import Month  # noqa: E402
from db.ops.events import event_search_key  # noqa: E402
from db.ops.facilities import create_facility  # noqa: E402
from db.ops.references import list_items  # noqa: E402
from db.ops.setup import initialize  # noqa: E402
from db.search import person_search_key  # noqa: E402
from db.values import (  # noqa: E402
    AudienceCategory,
    DatabaseMode,
    EventStatus,
    FacilityType,
    OutcomeKind,
    ParticipationRole,
    PersonStatus,
    PlaceKind,
    ReferenceList,
    Role,
    Sex,
    VolunteerStatus,
)

# Bump when the generated data change shape, so cached databases are made again.
DATA_VERSION = 2
CHUNK = 10_000
BENCH_LOGIN = "bench"
BENCH_PASSWORD = "bench-password-1"
REGION = "Туркестанская область и г. Шымкент"


@dataclass(frozen=True)
class Sizes:
    facilities: int = 20
    years: int = 10
    persons: int = 100_000
    events: int = 100_000
    attendances: int = 1_000_000
    volunteers: int = 20_000
    participations: int = 200_000
    outcomes: int = 5_000

    def scaled(self, divisor: int) -> Sizes:
        return Sizes(self.facilities, self.years, self.persons // divisor,
                     self.events // divisor, self.attendances // divisor,
                     self.volunteers // divisor, self.participations // divisor,
                     self.outcomes // divisor)


FULL = Sizes()
QUICK = FULL.scaled(20)

# --- vocabulary --------------------------------------------------------------------------------

KZ_SURNAMES = (
    "Әлібеков", "Қасымов", "Үмбетов", "Сейітов", "Жұмабаев", "Нұрмағамбетов", "Тұрсынов",
    "Ахметов", "Бекмұратов", "Ерімбетов", "Құдайбергенов", "Оспанов", "Мырзахметов",
    "Төлеубаев", "Шәріпов", "Әбдірахманов", "Ізбасаров", "Өтегенов", "Рахымжанов", "Ғабдуллин",
    "Байжанов", "Сәрсенбаев", "Көшербаев", "Мұқанов", "Дүйсенбаев", "Жақсылықов", "Тілеуов",
    "Қалиев", "Есенов", "Серікбаев", "Әбенов", "Бөкейханов", "Жанұзақов", "Қожахметов",
    "Нұрпейісов", "Омаров", "Сұлтанов", "Тоқтаров", "Үсенов", "Шаймерденов", "Ысқақов",
    "Әміров", "Ғалиев", "Дәулетов", "Ермеков", "Жүнісов", "Кенжебаев", "Қайыров", "Мамбетов",
    "Нұрғалиев", "Сағынтаев", "Тәжібаев", "Оразбаев", "Бейсенов", "Әшімов", "Құнанбаев",
    "Мұратбеков", "Жолдасбеков", "Айтбаев", "Ілиясов",
)
KZ_MALE = (
    "Әлібек", "Нұрлан", "Ғалым", "Өмірзақ", "Ұлан", "Ерғали", "Қайрат", "Серік", "Бауыржан",
    "Дәурен", "Асхат", "Ерлан", "Жандос", "Мұрат", "Талғат", "Нұржан", "Ержан", "Бақытжан",
    "Ақылбек", "Дастан", "Мейірхан", "Әсет", "Қуаныш", "Ілияс", "Жиһангер", "Сұлтан", "Айдос",
    "Ерболат", "Марат", "Қанат", "Ғани", "Төлеген", "Үсен", "Шыңғыс", "Рүстем", "Өркен",
)
KZ_FEMALE = (
    "Іңкәр", "Сәуле", "Айгүл", "Гүлнар", "Әсем", "Жансая", "Динара", "Мөлдір", "Ақерке",
    "Назерке", "Шаһарбану", "Әйгерім", "Аружан", "Гүлжан", "Құралай", "Балжан", "Салтанат",
    "Ләззат",
)
RU_SURNAMES = (
    "Семёнов", "Иванов", "Петров", "Кузнецов", "Фёдоров", "Соколов", "Волков", "Морозов",
    "Лебедев", "Козлов", "Новиков", "Зайцев", "Ковалёв", "Белов", "Орлов", "Киселёв",
    "Журавлёв", "Смирнов", "Попов", "Васильев", "Павлов", "Михайлов", "Егоров", "Никитин",
    "Сорокин", "Андреев", "Макаров", "Захаров", "Борисов", "Яковлев", "Григорьев", "Романов",
    "Воробьёв", "Сергеев", "Фролов", "Алексеев", "Дмитриев", "Королёв", "Гусев", "Титов",
)
RU_MALE = (
    "Пётр", "Алексей", "Сергей", "Дмитрий", "Андрей", "Артём", "Фёдор", "Семён", "Николай",
    "Владимир", "Евгений", "Олег", "Виктор", "Игорь", "Денис", "Роман", "Иван", "Максим",
)
RU_FEMALE = (
    "Алёна", "Ольга", "Наталья", "Татьяна", "Елена", "Светлана", "Юлия", "Ирина", "Анна",
    "Оксана", "Дарья",
)
RU_PATRONYMICS = (
    ("Петрович", "Петровна"), ("Алексеевич", "Алексеевна"), ("Сергеевич", "Сергеевна"),
    ("Семёнович", "Семёновна"), ("Фёдорович", "Фёдоровна"), ("Николаевич", "Николаевна"),
    ("Владимирович", "Владимировна"), ("Викторович", "Викторовна"), ("Иванович", "Ивановна"),
    ("Андреевич", "Андреевна"), ("Артёмович", "Артёмовна"), ("Олегович", "Олеговна"),
)
OTHER_SURNAMES = (
    "Каримов", "Юсупов", "Рахимов", "Турсунов", "Абдуллаев", "Мирзаев", "Холматов", "Алиев",
    "Гасанов", "Хасанов", "Ким", "Пак", "Цой", "Шмидт",
)
OTHER_MALE = ("Бахтиёр", "Рустам", "Шерзод", "Азиз", "Улугбек", "Фаррух", "Тимур", "Руслан")
OTHER_FEMALE = ("Дилноза", "Гулнора", "Нигора", "Зарина", "Лола")
DISTRICTS = (
    "Абайский район", "Аль-Фарабийский район", "Енбекшинский район", "Каратауский район",
    "Туранский район", "Сайрамский район", "Толебийский район", "Казыгуртский район",
    "г. Туркестан", "г. Кентау", "Ордабасинский район", "Түлкібас ауданы",
)
MOBILE_PREFIXES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777")
STAFF = (
    "Оспанова Гүлнар Маратқызы", "Семёнова Алёна Викторовна", "Жұмабаев Дәурен Нұрланұлы",
    "Ким Олег Викторович", "Әбенова Сәуле Серікқызы", "Петров Артём Игоревич",
    "Құдайбергенов Асхат Серікұлы", "Иванова Ольга Петровна", "Тұрсынов Ерлан Бақытжанұлы",
    "Сейітова Мөлдір Қайратқызы", "Фёдоров Семён Андреевич", "Ысқақов Ғалым Мұратұлы",
)
SPEAKERS = (
    "ст. инспектор УП, майор полиции Ахметов Н. К.",
    "инспектор по делам несовершеннолетних Сейітова Ә. Б.",
    "врач-нарколог Сәрсенбаева Г. Т.",
    "психолог учреждения Семёнова А. В.",
    "помощник прокурора Ізбасаров Ғ. М.",
    "инспектор службы пробации Қалиев Е. С.",
    "имам мечети «Нұр» Мұқанов Ә. Ж.",
    "представитель ОО «Сенім» Фёдоров П. А.",
    "социальный работник Оспанова Г. М.",
    "воспитатель отряда Жұмабаев Д. Н.",
)
OUTSIDE_PLACES = (
    "СОШ №45", "СОШ №103", "Школа-гимназия №12 им. Абая", "Махалля «Достық»",
    "Махалля «Бірлік»", "ул. Байтурсынова, у ТРЦ «Шымкент Плаза»", "Центр ресоциализации",
    "Служба пробации Абайского района", "Молодёжный ресурсный центр", "Парк Независимости",
    "Высший колледж «Болашақ»", "Колледж «Өрлеу»", "Дом культуры «Жастар»",
)
MATERIALS = (
    "Буклеты «Скажи наркотикам — нет!»",
    "Памятки об уголовной ответственности за наркопреступления",
    "Листовки с телефонами доверия",
    "Брошюры «Жизнь после освобождения»",
    "Плакаты «Нашақорлыққа жол жоқ!»",
)
EVENT_NOTES = (
    "Осуждённые активно задавали вопросы",
    "Показан видеоролик о последствиях употребления",
    "Проведено анкетирование участников",
    "Выступил волонтёр с личной историей",
)
CANCEL_REASONS = ("Перенесено: карантин в учреждении", "Отменено: выступающий не смог прибыть")
EXIT_REASONS = ("Переезд в другой город", "Трудоустройство вахтовым методом",
                "По собственному желанию", "Состояние здоровья")
TIMES = (dt.time(10, 0), dt.time(10, 30), dt.time(11, 0), dt.time(14, 0), dt.time(15, 0),
         dt.time(15, 30), dt.time(16, 0))
INSIDE_KINDS = ("explanatory_meeting", "explanatory_meeting", "explanatory_meeting",
                "lecture", "lecture", "film", "round_table", "consultation", "sports_cultural")
OUTSIDE_KINDS = ("action", "action", "lecture", "materials", "round_table", "sports_cultural",
                 "explanatory_meeting")
FACILITY_TYPES = (FacilityType.MEDIUM, FacilityType.MEDIUM, FacilityType.MAXIMUM,
                  FacilityType.MINIMUM, FacilityType.SETTLEMENT, FacilityType.REMAND,
                  FacilityType.PROBATION_OFFICE, FacilityType.JUVENILE)
EARLIEST_BIRTH = dt.date(1960, 1, 1)
LATEST_BIRTH = dt.date(2004, 12, 31)


# --- plan ----------------------------------------------------------------------------------------


@dataclass
class _Person:
    id: int
    status: str
    facility_id: int | None
    release_date: dt.date | None


@dataclass
class _Plan:
    """What later tables need to know of earlier ones (ids, dates, pools)."""

    first_day: dt.date
    last_day: dt.date
    today: dt.date
    facility_ids: list[int] = field(default_factory=list)
    refs: dict[str, dict[str, int]] = field(default_factory=dict)
    persons: list[_Person] = field(default_factory=list)
    # per facility: (date ordinal, event id) of held events, sorted by date
    held: dict[int, list[tuple[int, int]]] = field(default_factory=dict)
    volunteer_people: dict[int, tuple[int, dt.date, dt.date | None, str]] = field(
        default_factory=dict)  # volunteer id -> (person id, enrolled, exit, status)
    counts: dict[str, int] = field(default_factory=dict)


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _stamp(day: dt.date, rng: random.Random) -> dt.datetime:
    """A creation time on `day` during working hours, aware UTC as the models insist."""
    return dt.datetime.combine(day, dt.time(4 + rng.randint(0, 9), rng.randint(0, 59),
                                            rng.randint(0, 59)), tzinfo=dt.UTC)


def _day_between(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    if last <= first:
        return first
    return first + dt.timedelta(days=rng.randint(0, (last - first).days))


# What db.ops.common.snapshot leaves out of an audit entry's values.
AUDIT_SKIP = {"updated_at", "created_at", "search_key", "sort_key", "password_hash"}


def _audit_rows(table: str, rows: list[dict[str, Any]], logins: list[str]
                ) -> list[dict[str, Any]]:
    """The "create" entries the operations write, one per record, with its values."""
    return [{"at": row["created_at"], "user_login": logins[row["id"] % len(logins)],
             "action": "create", "table_name": table, "record_uuid": row["uuid"],
             "changes": json.dumps({k: v for k, v in row.items() if k not in AUDIT_SKIP},
                                   ensure_ascii=False, sort_keys=True, default=str),
             "details": ""} for row in rows]


def _insert(connection: Connection, table: Table, rows: Iterable[dict[str, Any]],
            audit_logins: list[str] | None = None) -> int:
    """Core bulk insert (executemany) in chunks of CHUNK rows, one transaction per table;
    with `audit_logins`, each chunk's "create" audit entries go in with it."""
    total = 0
    chunk: list[dict[str, Any]] = []

    def flush() -> None:
        connection.execute(insert(table), chunk)
        if audit_logins:
            connection.execute(insert(_table("audit_entry")),
                               _audit_rows(table.name, chunk, audit_logins))

    for row in rows:
        chunk.append(row)
        if len(chunk) >= CHUNK:
            flush()
            total += len(chunk)
            chunk = []
    if chunk:
        flush()
        total += len(chunk)
    connection.commit()
    return total


def _feminine(surname: str) -> str:
    return surname + "а" if surname.endswith(("ов", "ев", "ёв", "ин")) else surname


def _name(rng: random.Random, female: bool) -> tuple[str, str, str]:
    origin = rng.choices(("kz", "ru", "other"), weights=(65, 25, 10))[0]
    if origin == "kz":
        surname = rng.choice(KZ_SURNAMES)
        name = rng.choice(KZ_FEMALE if female else KZ_MALE)
        patronymic = rng.choice(KZ_MALE) + ("қызы" if female else "ұлы")
    elif origin == "ru":
        surname = rng.choice(RU_SURNAMES)
        name = rng.choice(RU_FEMALE if female else RU_MALE)
        patronymic = rng.choice(RU_PATRONYMICS)[1 if female else 0]
    else:
        surname = rng.choice(OTHER_SURNAMES)
        name = rng.choice(OTHER_FEMALE if female else OTHER_MALE)
        patronymic = rng.choice(RU_PATRONYMICS)[1 if female else 0]
    return (_feminine(surname) if female else surname), name, patronymic


def _phone(rng: random.Random) -> str:
    """A mobile number in the form db.phone.normalize_phone gives it."""
    d = f"{rng.randint(0, 9_999_999):07d}"
    return f"+7 {rng.choice(MOBILE_PREFIXES)} {d[:3]} {d[3:5]} {d[5:]}"


# --- tables --------------------------------------------------------------------------------------


def _person_rows(rng: random.Random, plan: _Plan, n: int) -> Iterator[dict[str, Any]]:
    statuses = (PersonStatus.SERVING, PersonStatus.RELEASED, PersonStatus.PROBATION,
                PersonStatus.OTHER)
    used_iins: set[str] = set()
    last_release = plan.today - dt.timedelta(days=20)
    for person_id in range(1, n + 1):
        status = rng.choices(statuses, weights=(45, 33, 17, 5))[0]
        female = rng.random() < (0.04 if status == PersonStatus.SERVING else 0.2)
        sex = Sex.FEMALE if female else Sex.MALE
        surname, name, patronymic = _name(rng, female)
        birth = _day_between(rng, EARLIEST_BIRTH, LATEST_BIRTH)
        iin: str | None = None
        if rng.random() < 0.95:
            serial = rng.randint(0, 9999)
            for step in range(10_000):
                candidate = make_iin(birth, sex, serial + step)
                if candidate is not None and candidate not in used_iins:
                    iin = candidate
                    used_iins.add(iin)
                    break
        release = None
        facility_id: int | None = rng.choice(plan.facility_ids)
        if status in (PersonStatus.RELEASED, PersonStatus.PROBATION):
            adult = dt.date(birth.year + 18, birth.month, min(birth.day, 28))
            release = _day_between(rng, max(plan.first_day, adult), last_release)
        elif status == PersonStatus.OTHER:
            facility_id = None
        plan.persons.append(_Person(person_id, status.value, facility_id, release))
        created = _stamp(release or _day_between(rng, plan.first_day, plan.today), rng)
        yield {
            "id": person_id, "uuid": _uuid(rng), "surname": surname, "name": name,
            "patronymic": patronymic, "iin": iin, "birth_date": birth, "sex": sex.value,
            "status": status.value, "facility_id": facility_id, "release_date": release,
            "phone": _phone(rng) if rng.random() < 0.5 else "",
            "district": rng.choice(DISTRICTS) if rng.random() < 0.8 else "",
            "notes": "",
            # the program's own keys, computed as db.ops.persons.set_person_keys does
            "search_key": person_search_key(surname, name, patronymic, iin),
            "sort_key": person_sort_key(surname, name, patronymic),
            "created_at": created, "updated_at": created,
        }


def _person_article_rows(rng: random.Random, plan: _Plan) -> Iterator[dict[str, Any]]:
    articles = list(plan.refs[ReferenceList.ARTICLE.value].values())
    row_id = 0
    for person in plan.persons:
        if person.status == PersonStatus.OTHER or rng.random() < 0.2:
            continue
        for article_id in rng.sample(articles, 1 if rng.random() < 0.8 else 2):
            row_id += 1
            yield {"id": row_id, "person_id": person.id, "article_id": article_id}


@dataclass
class _EventDraft:
    day: dt.date
    facility_id: int
    status: str
    inside: bool
    named: int = 0


def _event_drafts(rng: random.Random, plan: _Plan, sizes: Sizes) -> list[_EventDraft]:
    """Events spread over the facilities (some busier than others) and the months (a little
    more work in later years), dated Monday to Saturday, in date order."""
    months = [Month.of(plan.first_day)]
    while months[-1] != Month.of(plan.last_day):
        months.append(months[-1].next())
    weights = [0.7 + 0.6 * i / max(1, len(months) - 1) for i in range(len(months))]
    busy = {fid: rng.uniform(0.5, 1.5) for fid in plan.facility_ids}
    month_of = rng.choices(range(len(months)), weights=weights, k=sizes.events)
    facility_of = rng.choices(plan.facility_ids, weights=[busy[f] for f in plan.facility_ids],
                              k=sizes.events)
    last_month = Month.of(plan.last_day)
    drafts: list[_EventDraft] = []
    for m_index, facility_id in zip(month_of, facility_of, strict=True):
        month = months[m_index]
        day = _day_between(rng, month.first_day, month.last_day)
        if day.weekday() == 6:
            day -= dt.timedelta(days=1) if day.day > 1 else dt.timedelta(days=-1)
        roll = rng.random()
        status = (EventStatus.CANCELLED if roll < 0.04
                  else EventStatus.PLANNED if roll < 0.05 and month == last_month
                  else EventStatus.HELD)
        drafts.append(_EventDraft(day, facility_id, status.value, rng.random() < 0.6))
    drafts.sort(key=lambda d: (d.day, d.facility_id))
    # Named attendees: about sizes.attendances in all, spread over the held events.
    held = [d for d in drafts if d.status == EventStatus.HELD]
    if held:
        mean = sizes.attendances / len(held)
        low, high = max(1, round(mean * 0.3)), max(1, round(mean * 1.7))
        for draft in held:
            draft.named = rng.randint(low, high)
        gap = sizes.attendances - sum(d.named for d in held)
        step = 1 if gap > 0 else -1
        while gap:
            draft = rng.choice(held)
            if draft.named + step >= 1:
                draft.named += step
                gap -= step
    return drafts


def _event_rows(rng: random.Random, plan: _Plan, drafts: list[_EventDraft]
                ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]],
                           list[tuple[int, int, str]]]:
    """Events, their topics, agencies and named attendees (the attendees decide the counts)."""
    kinds = plan.refs[ReferenceList.EVENT_KIND.value]
    topics = list(plan.refs[ReferenceList.TOPIC.value].values())
    agencies = plan.refs[ReferenceList.AGENCY.value]
    agency_ids = list(agencies.values())
    serving: dict[int, list[int]] = {f: [] for f in plan.facility_ids}
    released: dict[int, list[int]] = {f: [] for f in plan.facility_ids}
    for person in plan.persons:
        if person.facility_id is None:
            continue
        if person.status == PersonStatus.SERVING:
            serving[person.facility_id].append(person.id)
        elif person.status in (PersonStatus.RELEASED, PersonStatus.PROBATION):
            released[person.facility_id].append(person.id)
    staff = {f: rng.sample(STAFF, 4) for f in plan.facility_ids}
    events: list[dict[str, Any]] = []
    topic_rows: list[dict[str, Any]] = []
    agency_rows: list[dict[str, Any]] = []
    attendee_rows: list[tuple[int, int, str]] = []  # a million dicts would cost ~300 MB
    for event_id, d in enumerate(drafts, start=1):
        held = d.status == EventStatus.HELD
        pool = serving[d.facility_id] if d.inside else released[d.facility_id]
        named = rng.sample(pool, min(d.named, len(pool))) if held else []
        category = AudienceCategory.SERVING if d.inside else AudienceCategory.RELEASED
        for person_id in sorted(named):
            attendee_rows.append((event_id, person_id, category.value))
        serving_n = released_n = community = materials_count = wants = 0
        materials = notes = ""
        if held:
            if d.inside:
                serving_n = len(named) + rng.randint(5, 50)
                released_n = rng.randint(1, 3) if rng.random() < 0.3 else 0
                community = rng.randint(3, 15) if rng.random() < 0.2 else 0
            else:
                released_n = len(named) + rng.randint(0, 10)
                community = rng.randint(10, 150)
            audience = serving_n + released_n + community
            wants = min(rng.randint(0, 4), audience)
            if rng.random() < 0.7:
                materials = rng.choice(MATERIALS)
                materials_count = rng.randint(audience, 2 * audience + 20)
            if rng.random() < 0.2:
                notes = rng.choice(EVENT_NOTES)
        elif d.status == EventStatus.CANCELLED:
            notes = rng.choice(CANCEL_REASONS)
        else:
            notes = "План мероприятий на месяц"
        place_facility: int | None = None
        place_text = ""
        if d.inside:
            place_facility = (d.facility_id if rng.random() < 0.95
                              else rng.choice(plan.facility_ids))
            kind_code = rng.choice(INSIDE_KINDS)
        else:
            place_text = rng.choice(OUTSIDE_PLACES)
            kind_code = rng.choice(OUTSIDE_KINDS)
        values: dict[str, Any] = {
            "id": event_id, "uuid": _uuid(rng), "facility_id": d.facility_id,
            "event_date": d.day, "event_time": rng.choice(TIMES) if rng.random() < 0.9 else None,
            "place_kind": (PlaceKind.FACILITY if d.inside else PlaceKind.OUTSIDE).value,
            "place_facility_id": place_facility, "place_text": place_text,
            "kind_id": kinds.get(kind_code) or rng.choice(list(kinds.values())),
            "responsible": rng.choice(staff[d.facility_id]),
            "speakers": "; ".join(rng.sample(SPEAKERS, rng.randint(1, 3))),
            "count_serving": serving_n, "count_released": released_n,
            "count_community": community, "materials_count": materials_count,
            "materials": materials, "wants_to_volunteer": wants, "notes": notes,
            "status": d.status,
        }
        # the program's own key, computed by the function create_event uses
        values["search_key"] = event_search_key(cast(Event, SimpleNamespace(**values)))
        values["created_at"] = values["updated_at"] = _stamp(d.day, rng)
        events.append(values)
        for topic_id in rng.sample(topics, rng.randint(1, min(3, len(topics)))):
            topic_rows.append({"id": len(topic_rows) + 1, "event_id": event_id,
                               "topic_id": topic_id})
        chosen = rng.sample(agency_ids, rng.randint(1, min(3, len(agency_ids))))
        if d.inside and "facility" in agencies and agencies["facility"] not in chosen:
            chosen[0] = agencies["facility"]
        for agency_id in chosen:
            agency_rows.append({"id": len(agency_rows) + 1, "event_id": event_id,
                                "agency_id": agency_id})
        if held:
            plan.held.setdefault(d.facility_id, []).append((d.day.toordinal(), event_id))
    return events, topic_rows, agency_rows, attendee_rows


def _volunteer_rows(rng: random.Random, plan: _Plan, n: int) -> Iterator[dict[str, Any]]:
    latest = plan.today - dt.timedelta(days=7)
    eligible = [p for p in plan.persons
                if p.status in (PersonStatus.RELEASED, PersonStatus.PROBATION)
                and p.release_date is not None and p.facility_id is not None
                and p.release_date + dt.timedelta(days=10) <= latest]
    chosen = rng.sample(eligible, min(n, len(eligible)))
    statuses = (VolunteerStatus.ACTIVE, VolunteerStatus.CANDIDATE, VolunteerStatus.PAUSED,
                VolunteerStatus.LEFT, VolunteerStatus.REOFFENDED)
    plans = []
    for person in chosen:
        assert person.release_date is not None and person.facility_id is not None
        enrolled = min(person.release_date + dt.timedelta(days=rng.randint(10, 120)), latest)
        plans.append((enrolled, person))
    plans.sort(key=lambda item: (item[0], item[1].id))
    consent_numbers: dict[tuple[int, int], int] = {}
    for volunteer_id, (enrolled, person) in enumerate(plans, start=1):
        assert person.facility_id is not None
        status = rng.choices(statuses, weights=(55, 8, 7, 20, 10))[0]
        consent = None
        if status != VolunteerStatus.CANDIDATE or rng.random() < 0.5:
            consent = min(enrolled + dt.timedelta(days=rng.randint(0, 7)), plan.today)
        exit_date = None
        if status in (VolunteerStatus.LEFT, VolunteerStatus.REOFFENDED):
            exit_date = _day_between(rng, enrolled + dt.timedelta(days=30), plan.today)
        number = ""
        if consent is not None:
            key = (person.facility_id, consent.year)
            consent_numbers[key] = consent_numbers.get(key, 0) + 1
            number = f"{consent_numbers[key]:03d}/{consent.year}"
        plan.volunteer_people[volunteer_id] = (person.id, enrolled, exit_date, status.value)
        created = _stamp(enrolled, rng)
        yield {
            "id": volunteer_id, "uuid": _uuid(rng), "person_id": person.id,
            "facility_id": person.facility_id, "enrolled_on": enrolled,
            "consent_number": number, "consent_date": consent,
            "coordinator": rng.choice(STAFF), "status": status.value, "exit_date": exit_date,
            "exit_reason": (rng.choice(EXIT_REASONS) if status == VolunteerStatus.LEFT
                            else "Повторное преступление"
                            if status == VolunteerStatus.REOFFENDED else ""),
            "notes": "Прошёл инструктаж волонтёра" if rng.random() < 0.3 else "",
            "created_at": created, "updated_at": created,
        }


def _participation_rows(rng: random.Random, plan: _Plan, n: int,
                        facility_of: dict[int, int]) -> Iterator[dict[str, Any]]:
    """Each volunteer (not a candidate) in held events of their facility (sometimes another)
    dated between enrolment and exit; about `n` in all."""
    windows: list[tuple[int, list[tuple[int, int]], int, int]] = []
    for volunteer_id, (_person, enrolled, exit_date, status) in plan.volunteer_people.items():
        if status == VolunteerStatus.CANDIDATE:
            continue
        facility_id = facility_of[volunteer_id]
        if rng.random() < 0.1:
            facility_id = rng.choice(plan.facility_ids)
        events = plan.held.get(facility_id, [])
        start = bisect.bisect_left(events, (enrolled.toordinal(), 0))
        end = bisect.bisect_right(events, ((exit_date or plan.today).toordinal(), 1 << 62))
        if end > start:
            windows.append((volunteer_id, events, start, end))
    if not windows:
        return
    mean = n / len(windows)
    wanted = [min(end - start, rng.randint(1, max(1, round(2 * mean - 1))))
              for _v, _e, start, end in windows]
    gap = n - sum(wanted)
    for _attempt in range(4 * abs(gap) + 10):  # spread what is missing (or too much)
        if not gap:
            break
        i = rng.randrange(len(windows))
        _v, _e, start, end = windows[i]
        if gap > 0 and wanted[i] < end - start:
            wanted[i] += 1
            gap -= 1
        elif gap < 0 and wanted[i] > 1:
            wanted[i] -= 1
            gap += 1
    row_id = 0
    roles = list(ParticipationRole)
    for (volunteer_id, events, start, end), k in zip(windows, wanted, strict=True):
        for index in sorted(rng.sample(range(start, end), k)):
            day, event_id = events[index]
            row_id += 1
            created = _stamp(dt.date.fromordinal(day), rng)
            yield {"id": row_id, "uuid": _uuid(rng), "volunteer_id": volunteer_id,
                   "event_id": event_id,
                   "role": rng.choices(roles, weights=(35, 30, 20, 15))[0].value,
                   "hours": rng.choice((1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0)),
                   "created_at": created, "updated_at": created}


def _outcome_rows(rng: random.Random, plan: _Plan, n: int) -> Iterator[dict[str, Any]]:
    articles = list(plan.refs[ReferenceList.ARTICLE.value].values())
    outcomes: list[tuple[int, dt.date, OutcomeKind]] = []
    volunteer_persons = set()
    for person_id, _enrolled, exit_date, status in plan.volunteer_people.values():
        volunteer_persons.add(person_id)
        if status == VolunteerStatus.REOFFENDED and exit_date is not None:
            outcomes.append((person_id, exit_date, OutcomeKind.REPEAT_OFFENCE))
    others = [p for p in plan.persons
              if p.status in (PersonStatus.RELEASED, PersonStatus.PROBATION)
              and p.release_date is not None and p.id not in volunteer_persons
              and p.release_date + dt.timedelta(days=40) <= plan.today]
    for person in rng.sample(others, max(0, min(n - len(outcomes), len(others)))):
        assert person.release_date is not None
        day = _day_between(rng, person.release_date + dt.timedelta(days=30), plan.today)
        kind = (OutcomeKind.PROBATION_VIOLATION
                if person.status == PersonStatus.PROBATION and rng.random() < 0.7
                else OutcomeKind.REPEAT_OFFENCE)
        outcomes.append((person.id, day, kind))
    outcomes.sort(key=lambda o: (o[1], o[0]))
    for outcome_id, (person_id, day, kind) in enumerate(outcomes, start=1):
        repeat = kind == OutcomeKind.REPEAT_OFFENCE
        created = _stamp(day, rng)
        yield {"id": outcome_id, "uuid": _uuid(rng), "person_id": person_id,
               "outcome_date": day, "kind": kind.value,
               "article_id": rng.choice(articles) if repeat and articles else None,
               "notes": "Возбуждено уголовное дело" if repeat else "Неявка к инспектору пробации",
               "created_at": created, "updated_at": created}


# --- the database ------------------------------------------------------------------------------


def period(today: dt.date, years: int) -> tuple[dt.date, dt.date]:
    """`years` whole years of months ending with last month."""
    last = Month.of(today).previous()
    first = last
    for _step in range(12 * years - 1):
        first = first.previous()
    return first.first_day, last.last_day


def make_database(path: Path, sizes: Sizes = FULL, *, seed: int = 1,
                  log: bool = True) -> dict[str, int]:
    """Create the database at `path` (which must not exist); return the row counts."""
    path = Path(path)
    if path.exists():
        raise FileExistsError(path)
    started = time.perf_counter()

    def say(text: str) -> None:
        if log:
            print(f"[{time.perf_counter() - started:6.1f} s] {text}", file=sys.stderr,
                  flush=True)

    rng = random.Random(seed)
    today = clock.today()
    first_day, last_day = period(today, sizes.years)
    plan = _Plan(first_day=first_day, last_day=last_day, today=today)
    database = open_database(path, create=True)
    try:
        with database.session() as session:
            admin = initialize(session, mode=DatabaseMode.REGIONAL, admin=UserCreate(
                login=BENCH_LOGIN, full_name="Бенчмарков Ерлан Серікұлы",
                position="Администратор", role=Role.ADMIN.value, password=BENCH_PASSWORD),
                enforce_password_rules=False)
            assert admin is not None
            for number in range(1, sizes.facilities + 1):
                code = f"{number * 3 + 10}"
                facility = create_facility(session=session, actor=admin, data=FacilityCreate(
                    code=code, name=f"Учреждение ЛА-155/{code}",
                    facility_type=FACILITY_TYPES[number % len(FACILITY_TYPES)].value,
                    region=REGION))
                assert facility.id is not None
                plan.facility_ids.append(facility.id)
            plan.refs = {name.value: {i.code: i.id for i in list_items(session, name)
                                      if i.id is not None} for name in ReferenceList}
            say("schema, reference lists, account and facilities")

        # Generation only, on one connection: no journal on disk, no fsync, no FK checks per
        # row (checked once at the end). The file goes back to WAL afterwards.
        with database.engine.connect() as connection:
            for pragma in ("journal_mode=MEMORY", "synchronous=OFF", "foreign_keys=OFF",
                           "cache_size=-200000"):
                connection.exec_driver_sql(f"PRAGMA {pragma}")
            counts = plan.counts
            logins = [f"operator{n}" for n in range(1, sizes.facilities + 1)]
            counts["persons"] = _insert(connection, _table("person"),
                                        _person_rows(rng, plan, sizes.persons), logins)
            counts["person_articles"] = _insert(connection, _table("person_article"),
                                                _person_article_rows(rng, plan))
            say(f"{counts['persons']} persons")
            drafts = _event_drafts(rng, plan, sizes)
            events, topics, agencies, attendees = _event_rows(rng, plan, drafts)
            counts["events"] = _insert(connection, _table("event"), events, logins)
            counts["event_topics"] = _insert(connection, _table("event_topic"), topics)
            counts["event_agencies"] = _insert(connection, _table("event_agency"), agencies)
            del events, topics, agencies
            counts["attendances"] = _insert(connection, _table("event_attendee"), (
                {"id": i, "event_id": e, "person_id": p, "category": c}
                for i, (e, p, c) in enumerate(attendees, start=1)))
            del attendees
            say(f"{counts['events']} events, {counts['attendances']} attendances")
            volunteers = list(_volunteer_rows(rng, plan, sizes.volunteers))
            facility_of = {v["id"]: v["facility_id"] for v in volunteers}
            counts["volunteers"] = _insert(connection, _table("volunteer"), volunteers,
                                           logins)
            counts["participations"] = _insert(
                connection, _table("participation"),
                _participation_rows(rng, plan, sizes.participations, facility_of), logins)
            counts["outcomes"] = _insert(connection, _table("outcome"),
                                         _outcome_rows(rng, plan, sizes.outcomes), logins)
            counts["audit_entries"] = connection.exec_driver_sql(
                "SELECT count(*) FROM audit_entry").scalar_one()
            say(f"{counts['volunteers']} volunteers, {counts['participations']} "
                f"participations, {counts['outcomes']} outcomes")
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if problems:
                raise RuntimeError(f"foreign key problems: {problems[:5]}")
            for pragma in ("foreign_keys=ON", "synchronous=FULL", "journal_mode=WAL"):
                connection.exec_driver_sql(f"PRAGMA {pragma}")
            connection.commit()
    except BaseException:
        database.dispose()
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        raise
    database.dispose()  # the last connection checkpoints the WAL into the file
    say(f"done: {path} ({path.stat().st_size / 1e6:.0f} MB)")
    return dict(plan.counts, seconds=round(time.perf_counter() - started, 1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("qadam-bench.db"),
                        help="the database file to create (must not exist)")
    parser.add_argument("--quick", action="store_true", help="about 1/20 of the full size")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    counts = make_database(args.out, QUICK if args.quick else FULL, seed=args.seed)
    print(", ".join(f"{k}: {v}" for k, v in counts.items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
