"""A demo database: a year of realistic outreach work in facility No. 69 (or No. 54).

Everything goes through the real operations, acting as the demo administrator, so each record
passes the same rules and leaves the same audit trail as one typed in by staff. The data are
deterministic for a given seed and today's date (dates are anchored to `db.clock.today()`).

Accounts: admin / head / operator, all with the password `demo`.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlmodel import Session

from db import clock, paths
from db.database import open_database
from db.errors import QadamError
from db.i18n import _, ngettext
from db.iin import make_iin
from db.models import (
    AttendeeInput,
    EventCreate,
    FacilityCreate,
    OutcomeCreate,
    ParticipationCreate,
    PersonCreate,
    User,
    UserCreate,
    VolunteerCreate,
    VolunteerUpdate,
)
from db.months import Month
from db.ops.common import create_record, transaction
from db.ops.events import create_event
from db.ops.facilities import create_facility, facility_by_code
from db.ops.persons import create_person
from db.ops.references import list_items
from db.ops.setup import initialize
from db.ops.users import add_user
from db.ops.volunteers import (
    create_outcome,
    create_participation,
    create_volunteer,
    update_volunteer,
)
from db.phone import InvalidPhone, normalize_phone
from db.values import (
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

DEMO_FILE_NAME = "qadam-demo.db"
DEMO_PASSWORD = "demo"
REGION = "г. Шымкент и Туркестанская область"

FACILITIES: dict[str, tuple[str, FacilityType]] = {
    "69": ("Учреждение ЛА-155/69", FacilityType.MEDIUM),
    "54": ("Учреждение ЛА-155/54", FacilityType.MAXIMUM),
}

# (login, role, full name, position)
ACCOUNTS: tuple[tuple[str, Role, str, str], ...] = (
    ("admin", Role.ADMIN, "Тұрсынов Ерлан Бақытжанұлы", "Инженер по информационным технологиям"),
    ("head", Role.HEAD, "Құдайбергенов Асхат Серікұлы", "Начальник учреждения"),
    ("operator", Role.OPERATOR, "Оспанова Гүлнар Маратқызы", "Социальный работник"),
)
STAFF = (
    "Оспанова Гүлнар Маратқызы",
    "Семёнова Алёна Викторовна",
    "Жұмабаев Дәурен Нұрланұлы",
    "Ким Олег Викторович",
)
SPEAKERS = (
    "ст. инспектор УП г. Шымкент, майор полиции Ахметов Н. К.",
    "инспектор по делам несовершеннолетних Сейітова Ә. Б.",
    "врач-нарколог Сәрсенбаева Г. Т.",
    "психолог учреждения Семёнова А. В.",
    "помощник прокурора г. Шымкент Ізбасаров Ғ. М.",
    "инспектор службы пробации Қалиев Е. С.",
    "имам мечети «Нұр» Мұқанов Ә. Ж.",
    "представитель ОО «Сенім» Фёдоров П. А.",
    "социальный работник Оспанова Г. М.",
    "воспитатель отряда Жұмабаев Д. Н.",
)
OUTSIDE_PLACES = (
    "СОШ №45",
    "СОШ №103",
    "Школа-гимназия №12 им. Абая",
    "Махалля «Достық»",
    "Махалля «Бірлік»",
    "ул. Байтурсынова, у ТРЦ «Шымкент Плаза»",
    "Центр ресоциализации",
    "Служба пробации Абайского района",
    "Молодёжный ресурсный центр",
    "Парк Независимости",
    "Высший колледж «Болашақ»",
)
MATERIALS = (
    "Буклеты «Скажи наркотикам — нет!»",
    "Памятки об уголовной ответственности за наркопреступления",
    "Листовки с телефонами доверия",
    "Брошюры «Жизнь после освобождения»",
    "Плакаты «Нашақорлыққа жол жоқ!»",
)
CANCEL_REASONS = (
    "Перенесено: карантин в учреждении",
    "Отменено: выступающий не смог прибыть",
    "Отменено по погодным условиям",
)
EVENT_NOTES = (
    "Осуждённые активно задавали вопросы",
    "Показан видеоролик о последствиях употребления",
    "Проведено анкетирование участников",
    "Выступил волонтёр с личной историей",
    "Раздача материалов родственникам в комнате свиданий",
)
PERSON_NOTES = (
    "Трудоустроен на СТО",
    "Состоит на учёте у нарколога",
    "Многодетный отец",
    "Проходит обучение по программе «Еңбек»",
    "Проживает с родителями",
    "Посещает группу взаимопомощи",
)
EXIT_REASONS = (
    "Переезд в другой город",
    "Трудоустройство вахтовым методом",
    "По собственному желанию",
    "Состояние здоровья",
)
DISTRICTS = (
    "Абайский район", "Аль-Фарабийский район", "Енбекшинский район", "Каратауский район",
    "Туранский район",
)
REGION_DISTRICTS = ("Сайрамский район", "Толебийский район", "Казыгуртский район",
                    "г. Туркестан", "г. Кентау")
MOBILE_PREFIXES = ("700", "701", "702", "705", "707", "708", "747", "771", "775", "776", "777",
                   "778")

# Names. Kazakh and Russian surnames take "-а" in the feminine.
KZ_SURNAMES = (
    "Әлібеков", "Қасымов", "Үмбетов", "Сейітов", "Жұмабаев", "Нұрмағамбетов", "Тұрсынов",
    "Ахметов", "Бекмұратов", "Ерімбетов", "Құдайбергенов", "Оспанов", "Мырзахметов",
    "Төлеубаев", "Шәріпов", "Әбдірахманов", "Ізбасаров", "Өтегенов", "Рахымжанов", "Ғабдуллин",
    "Байжанов", "Сәрсенбаев", "Көшербаев", "Мұқанов", "Дүйсенбаев", "Жақсылықов", "Тілеуов",
    "Қалиев", "Есенов", "Серікбаев",
)
KZ_MALE = (
    "Әлібек", "Нұрлан", "Ғалым", "Өмірзақ", "Ұлан", "Ерғали", "Қайрат", "Серік", "Бауыржан",
    "Дәурен", "Асхат", "Ерлан", "Жандос", "Мұрат", "Талғат", "Нұржан", "Ержан", "Бақытжан",
    "Ақылбек", "Дастан", "Мейірхан", "Әсет", "Қуаныш", "Ілияс", "Жиһангер", "Сұлтан", "Айдос",
    "Ерболат", "Марат", "Қанат",
)
KZ_FEMALE = (
    "Іңкәр", "Сәуле", "Айгүл", "Гүлнар", "Әсем", "Жансая", "Динара", "Мөлдір", "Ақерке",
    "Назерке", "Шаһарбану", "Әйгерім", "Аружан", "Гүлжан", "Құралай", "Балжан", "Салтанат",
    "Ләззат",
)
RU_SURNAMES = (
    "Семёнов", "Иванов", "Петров", "Кузнецов", "Фёдоров", "Соколов", "Волков", "Морозов",
    "Лебедев", "Козлов", "Новиков", "Зайцев", "Ковалёв", "Белов", "Орлов", "Киселёв",
    "Журавлёв",
)
RU_MALE = (
    "Пётр", "Алексей", "Сергей", "Дмитрий", "Андрей", "Артём", "Фёдор", "Семён", "Николай",
    "Владимир", "Евгений", "Олег", "Виктор", "Игорь", "Денис", "Роман",
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
UZ_SURNAMES = ("Каримов", "Юсупов", "Рахимов", "Турсунов", "Абдуллаев", "Мирзаев", "Холматов")
UZ_MALE = ("Бахтиёр", "Рустам", "Шерзод", "Азиз", "Улугбек", "Фаррух")
UZ_FEMALE = ("Дилноза", "Гулнора", "Нигора", "Зарина")
UZ_PATRONYMICS = (
    ("Рустамович", "Рустамовна"), ("Бахтиёрович", "Бахтиёровна"), ("Азизович", "Азизовна"),
    ("Ахмаджонович", "Ахмаджоновна"),
)

# The first persons are fixed so every Kazakh letter and ё is certainly in the demo.
SHOWCASE: tuple[tuple[str, str, str, Sex], ...] = (
    ("Әлібеков", "Әлібек", "Серікұлы", Sex.MALE),
    ("Ғабдуллин", "Ғалым", "Қайратұлы", Sex.MALE),
    ("Қасымова", "Іңкәр", "Нұрланқызы", Sex.FEMALE),
    ("Үмбетов", "Ұлан", "Өмірзақұлы", Sex.MALE),
    ("Сейітова", "Шаһарбану", "Ерғалиқызы", Sex.FEMALE),
    ("Өтегенов", "Жиһангер", "Мұратұлы", Sex.MALE),
    ("Семёнов", "Пётр", "Алексеевич", Sex.MALE),
    ("Фёдорова", "Алёна", "Семёновна", Sex.FEMALE),
)

# How many persons of each status the demo holds (about 300 in all).
STATUS_PLAN = {
    PersonStatus.SERVING: 150,
    PersonStatus.RELEASED: 95,
    PersonStatus.PROBATION: 45,
    PersonStatus.OTHER: 10,
}
# Volunteer statuses (40 in all): mostly active.
VOLUNTEER_PLAN = {
    VolunteerStatus.ACTIVE: 27,
    VolunteerStatus.CANDIDATE: 4,
    VolunteerStatus.PAUSED: 3,
    VolunteerStatus.LEFT: 4,
    VolunteerStatus.REOFFENDED: 2,
}
ARTICLE_WEIGHTS = {"296": 40, "297": 35, "286": 5, "300": 10, "302": 10}
EARLIEST_BIRTH = dt.date(1965, 1, 1)
LATEST_BIRTH = dt.date(2004, 12, 31)


@dataclass
class _PersonInfo:
    id: int
    status: str
    birth_date: dt.date
    release_date: dt.date | None
    article_ids: list[int]


@dataclass
class _EventInfo:
    id: int
    date: dt.date
    status: str


@dataclass
class _VolunteerPlan:
    person: _PersonInfo
    status: VolunteerStatus
    enrolled_on: dt.date
    exit_date: dt.date | None = None
    consent_number: str = ""
    consent_date: dt.date | None = None


def demo_database_path() -> Path:
    return paths.user_data_dir() / DEMO_FILE_NAME


def ensure_demo_database(path: Path) -> None:
    """Create the demo database at `path` unless a file is already there."""
    if not path.exists():
        create_demo_database(path)


def create_demo_database(path: Path, *, facility_code: str = "69", seed: int = 1) -> str:
    """Create a new database at `path` filled with demo data; return a short summary."""
    path = Path(path)
    if path.exists():
        raise QadamError(_("{path} already exists; choose a new file.").format(path=path))
    try:
        database = open_database(path, create=True)
    except BaseException:  # a full disk while the schema is made
        remove_database_files(path)
        raise
    try:
        with database.session() as session:
            builder = _DemoBuilder(session, facility_code=facility_code, seed=seed)
            builder.build()
            counts = builder.counts()
    except BaseException:
        database.dispose()
        remove_database_files(path)  # a half-built demo must not pass for a finished one
        raise
    database.dispose()
    return ", ".join((
        ngettext("{n} person", "{n} persons", counts["persons"]).format(n=counts["persons"]),
        ngettext("{n} event", "{n} events", counts["events"]).format(n=counts["events"]),
        ngettext("{n} volunteer", "{n} volunteers", counts["volunteers"]).format(
            n=counts["volunteers"]),
    ))


def remove_database_files(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


class _DemoBuilder:
    def __init__(self, session: Session, *, facility_code: str, seed: int) -> None:
        self.session = session
        self.rng = random.Random(seed)
        self.today = clock.today()
        self.facility_code = facility_code.strip()
        self.persons: list[_PersonInfo] = []
        self.events: list[_EventInfo] = []
        self.volunteers: list[tuple[int, _VolunteerPlan]] = []
        self.participations = 0
        self.outcomes = 0
        self.used_iins: set[str] = set()
        self.admin: User
        self.own_id = 0
        self.other_id = 0
        self.refs: dict[ReferenceList, dict[str, int]] = {}
        self._loaded: list[object] = []

    def counts(self) -> dict[str, int]:
        return {"persons": len(self.persons), "events": len(self.events),
                "volunteers": len(self.volunteers), "participations": self.participations,
                "outcomes": self.outcomes}

    def build(self) -> None:
        self._setup()
        self._make_persons()
        self._make_events()
        self._make_volunteers()

    # --- set-up: facilities, reference lists, accounts ---------------------------------------

    def _setup(self) -> None:
        own_name, own_type = FACILITIES.get(
            self.facility_code, (f"Учреждение ЛА-155/{self.facility_code}", FacilityType.MEDIUM))
        login, role, full_name, position = ACCOUNTS[0]
        admin = initialize(
            self.session, mode=DatabaseMode.FACILITY,
            facility=FacilityCreate(code=self.facility_code, name=own_name,
                                    facility_type=own_type, region=REGION),
            admin=UserCreate(login=login, full_name=full_name, position=position, role=role,
                             password=DEMO_PASSWORD),
            enforce_password_rules=False)
        assert admin is not None
        self.admin = admin
        with transaction(self.session):
            for login, role, full_name, position in ACCOUNTS[1:]:
                user = add_user(self.session, UserCreate(
                    login=login, full_name=full_name, position=position, role=role,
                    password=DEMO_PASSWORD), enforce_password_rules=False)
                create_record(self.session, self.admin, user, "app_user")
        own = facility_by_code(self.session, self.facility_code)
        assert own is not None and own.id is not None
        self.own_id = own.id
        other_code = "54" if self.facility_code != "54" else "69"
        other_name, other_type = FACILITIES[other_code]
        other = create_facility(session=self.session, actor=self.admin, data=FacilityCreate(
            code=other_code, name=other_name, facility_type=other_type, region=REGION))
        assert other.id is not None
        self.other_id = other.id
        items = {name: list_items(self.session, name) for name in ReferenceList}
        self.refs = {name: {item.code: item.id for item in found if item.id is not None}
                     for name, found in items.items()}
        # The session's identity map holds rows only weakly: keeping the rows the rules look up
        # again and again (facilities, reference items, persons) saves a query per lookup.
        self._loaded.extend([own, other, *(i for found in items.values() for i in found)])

    # --- persons ------------------------------------------------------------------------------

    def _random_name(self, status: PersonStatus) -> tuple[str, str, str, Sex]:
        rng = self.rng
        # The facilities are men's colonies; women appear among the released and others.
        female = status != PersonStatus.SERVING and rng.random() < 0.2
        sex = Sex.FEMALE if female else Sex.MALE
        origin = rng.choices(("kz", "ru", "uz"), weights=(70, 20, 10))[0]
        if origin == "kz":
            surname = rng.choice(KZ_SURNAMES)
            name = rng.choice(KZ_FEMALE if female else KZ_MALE)
            patronymic = rng.choice(KZ_MALE) + ("қызы" if female else "ұлы")
        elif origin == "ru":
            surname = rng.choice(RU_SURNAMES)
            name = rng.choice(RU_FEMALE if female else RU_MALE)
            patronymic = rng.choice(RU_PATRONYMICS)[1 if female else 0]
        else:
            surname = rng.choice(UZ_SURNAMES)
            name = rng.choice(UZ_FEMALE if female else UZ_MALE)
            patronymic = rng.choice(UZ_PATRONYMICS)[1 if female else 0]
        if female:
            surname += "а"
        return surname, name, patronymic, sex

    def _day_between(self, first: dt.date, last: dt.date) -> dt.date:
        if last <= first:
            return first
        return first + dt.timedelta(days=self.rng.randint(0, (last - first).days))

    def _iin(self, birth_date: dt.date, sex: Sex) -> str:
        serial = self.rng.randint(0, 9999)
        for step in range(10000):
            iin = make_iin(birth_date, sex, (serial + step) % 10000)
            if iin is not None and iin not in self.used_iins:
                self.used_iins.add(iin)
                return iin
        raise AssertionError("no free IIN serial")  # 10000 serials per day and sex: never

    def _phone(self) -> str:
        for _attempt in range(20):
            if self.rng.random() < 0.85:
                digits = "".join(str(self.rng.randint(0, 9)) for _i in range(7))
                text = (f"+7 {self.rng.choice(MOBILE_PREFIXES)} {digits[:3]} {digits[3:5]} "
                        f"{digits[5:]}")
            else:
                digits = str(self.rng.randint(2, 5)) + "".join(
                    str(self.rng.randint(0, 9)) for _i in range(5))
                text = f"8 7252 {digits[:2]} {digits[2:4]} {digits[4:]}"
            try:
                return normalize_phone(text)
            except InvalidPhone:
                continue
        return ""

    def _articles(self) -> list[int]:
        articles = self.refs[ReferenceList.ARTICLE]
        codes = list(articles)
        if not codes or self.rng.random() < 0.2:  # some were convicted of non-drug crimes
            return []
        weights = [ARTICLE_WEIGHTS.get(code, 2) for code in codes]
        first = self.rng.choices(codes, weights=weights)[0]
        chosen = [first]
        if len(codes) > 1 and self.rng.random() < 0.25:
            second = self.rng.choices(codes, weights=weights)[0]
            if second != first:
                chosen.append(second)
        return [articles[code] for code in chosen]

    def _make_persons(self) -> None:
        rng = self.rng
        plan = [status for status, n in STATUS_PLAN.items() for _i in range(n)]
        rng.shuffle(plan)
        # no woman among the serving: swap a showcase woman's status with a later one's
        for index, (*_names, sex) in enumerate(SHOWCASE):
            if sex == Sex.FEMALE and plan[index] == PersonStatus.SERVING:
                swap = next(j for j in range(len(SHOWCASE), len(plan))
                            if plan[j] != PersonStatus.SERVING)
                plan[index], plan[swap] = plan[swap], plan[index]
        for index, status in enumerate(plan):
            surname, name, patronymic, sex = (
                SHOWCASE[index] if index < len(SHOWCASE) else self._random_name(status))
            birth_date = self._day_between(EARLIEST_BIRTH, LATEST_BIRTH)
            release_date = None
            facility_id: int | None = self.own_id
            if status in (PersonStatus.RELEASED, PersonStatus.PROBATION):
                # released within three years (probation: two), at 18 or older, not today
                back = 3 * 365 if status == PersonStatus.RELEASED else 2 * 365
                adult = dt.date(birth_date.year + 18, birth_date.month, min(birth_date.day, 28))
                first = max(self.today - dt.timedelta(days=back), adult)
                release_date = self._day_between(first, self.today - dt.timedelta(days=20))
                if rng.random() < 0.2:
                    facility_id = self.other_id  # released from the other facility
            elif status == PersonStatus.OTHER:
                facility_id = None
            article_ids = self._articles() if status != PersonStatus.OTHER else []
            phone_share = {PersonStatus.SERVING: 0.15, PersonStatus.OTHER: 0.6}.get(status, 0.85)
            phone = self._phone() if rng.random() < phone_share else ""
            district_share = 0.6 if status == PersonStatus.SERVING else 0.95
            district = ""
            if rng.random() < district_share:
                district = rng.choice(REGION_DISTRICTS if rng.random() < 0.15 else DISTRICTS)
            notes = rng.choice(PERSON_NOTES) if rng.random() < 0.15 else ""
            if status == PersonStatus.OTHER:
                notes = rng.choice(("Родственник осуждённого", "Подросток группы риска",
                                    "Житель махалли, участник акций"))
            person = create_person(session=self.session, actor=self.admin, data=PersonCreate(
                surname=surname, name=name, patronymic=patronymic,
                iin=self._iin(birth_date, sex) if rng.random() < 0.95 or index < 8 else None,
                birth_date=birth_date, sex=sex.value, status=status.value,
                facility_id=facility_id, release_date=release_date, phone=phone,
                district=district, notes=notes, article_ids=article_ids))
            assert person.id is not None
            self._loaded.append(person)
            self.persons.append(_PersonInfo(person.id, status.value, birth_date, release_date,
                                            article_ids))

    # --- events -------------------------------------------------------------------------------

    def _event_days(self, month: Month, last: dt.date, n: int) -> list[dt.date]:
        """`n` working days (Monday to Saturday) of the month up to `last`, sorted."""
        days = [month.first_day + dt.timedelta(days=i)
                for i in range((min(month.last_day, last) - month.first_day).days + 1)]
        days = [d for d in days if d.weekday() != 6]
        return sorted(self.rng.choice(days) for _i in range(n)) if days else []

    def _make_events(self) -> None:
        rng = self.rng
        current = Month.of(self.today)
        months = [current]
        for _i in range(12):
            months.insert(0, months[0].previous())
        for month in months:
            if month == current:
                # the month so far, at the same pace
                share = self.today.day / month.last_day.day
                n = round(rng.randint(12, 20) * share)
            else:
                n = rng.randint(12, 20)
            for day in self._event_days(month, self.today, n):
                cancelled = rng.random() < 0.04
                self._make_event(day, EventStatus.CANCELLED if cancelled else EventStatus.HELD)
        for offset in sorted(rng.sample(range(2, 45), rng.randint(2, 3))):
            self._make_event(self.today + dt.timedelta(days=offset), EventStatus.PLANNED)

    def _pick(self, items: Sequence[int], low: int, high: int) -> list[int]:
        return self.rng.sample(list(items), min(self.rng.randint(low, high), len(items)))

    def _make_event(self, day: dt.date, status: EventStatus) -> None:
        rng = self.rng
        kinds, topics, agencies = (self.refs[ReferenceList.EVENT_KIND],
                                   self.refs[ReferenceList.TOPIC], self.refs[ReferenceList.AGENCY])
        inside = rng.random() < 0.6
        if inside:
            kind_codes = ["explanatory_meeting"] * 4 + ["lecture", "lecture", "film",
                                                         "round_table", "consultation",
                                                         "sports_cultural"]
        else:
            kind_codes = ["action", "action", "lecture", "materials", "round_table",
                          "sports_cultural", "explanatory_meeting"]
        kind_codes = [c for c in kind_codes if c in kinds] or list(kinds)
        kind_code = rng.choice(kind_codes)
        agency_ids = self._pick(list(agencies.values()), 1, 3)
        if inside and "facility" in agencies and agencies["facility"] not in agency_ids:
            agency_ids[0] = agencies["facility"]  # the facility organizes what it hosts
        serving = released = community = materials_count = wants = 0
        attendees: list[AttendeeInput] = []
        materials = notes = ""
        if status == EventStatus.HELD:
            if inside:
                serving = rng.randint(12, 60)
                released = rng.randint(1, 3) if rng.random() < 0.3 else 0
                community = rng.randint(3, 15) if rng.random() < 0.2 else 0
                pool = [p.id for p in self.persons if p.status == PersonStatus.SERVING]
                for person_id in self._pick(pool, 2, min(10, serving)):
                    attendees.append(AttendeeInput(person_id=person_id,
                                                   category=AudienceCategory.SERVING))
                wants = min(rng.randint(0, 4), serving + released + community)
            else:
                pool = [p.id for p in self.persons
                        if p.status in (PersonStatus.RELEASED, PersonStatus.PROBATION)
                        and p.release_date is not None and p.release_date <= day]
                released = rng.randint(2, 15) if pool else 0
                community = rng.randint(10, 150)
                if kind_code == "materials":
                    community = rng.randint(50, 300)
                for person_id in self._pick(pool, 1, min(6, released)) if released else []:
                    attendees.append(AttendeeInput(person_id=person_id,
                                                   category=AudienceCategory.RELEASED))
                wants = rng.randint(0, min(3, released))
            if rng.random() < 0.7:
                materials = rng.choice(MATERIALS)
                materials_count = rng.randint(serving + released + community,
                                              2 * (serving + released + community) + 20)
            if rng.random() < 0.2:
                notes = rng.choice(EVENT_NOTES)
        elif status == EventStatus.CANCELLED:
            notes = rng.choice(CANCEL_REASONS)
        else:
            notes = "План мероприятий на месяц"
        speakers = "; ".join(rng.sample(SPEAKERS, rng.randint(1, 3)))
        event = create_event(session=self.session, actor=self.admin, data=EventCreate(
            facility_id=self.own_id, event_date=day,
            event_time=dt.time(*rng.choice(((10, 0), (10, 30), (11, 0), (14, 0), (15, 0),
                                            (15, 30), (16, 0)))),
            place_kind=PlaceKind.FACILITY if inside else PlaceKind.OUTSIDE,
            place_facility_id=self.own_id if inside else None,
            place_text="" if inside else rng.choice(OUTSIDE_PLACES),
            kind_id=kinds[kind_code], responsible=rng.choice(STAFF), speakers=speakers,
            count_serving=serving, count_released=released, count_community=community,
            materials_count=materials_count, materials=materials, wants_to_volunteer=wants,
            notes=notes, status=status,
            topic_ids=self._pick(list(topics.values()), 1, 3), agency_ids=agency_ids,
            attendees=attendees))
        assert event.id is not None
        self._loaded.append(event)
        self.events.append(_EventInfo(event.id, day, status.value))

    # --- volunteers, participations, outcomes -------------------------------------------------

    def _plan_volunteers(self) -> list[_VolunteerPlan]:
        rng = self.rng
        last_release = self.today - dt.timedelta(days=30)
        eligible = [p for p in self.persons
                    if p.status in (PersonStatus.RELEASED, PersonStatus.PROBATION)
                    and p.release_date is not None and p.release_date <= last_release]
        statuses = [s for s, n in VOLUNTEER_PLAN.items() for _i in range(n)]
        chosen = rng.sample(eligible, min(len(statuses), len(eligible)))
        # Those released longest ago have had time to leave or re-offend; candidates are new.
        chosen.sort(key=lambda p: (p.release_date, p.id))
        rng.shuffle(statuses)
        statuses.sort(key=lambda s: {VolunteerStatus.REOFFENDED: 0, VolunteerStatus.LEFT: 1,
                                     VolunteerStatus.CANDIDATE: 3}.get(s, 2))
        plans: list[_VolunteerPlan] = []
        for person, status in zip(chosen, statuses, strict=False):
            assert person.release_date is not None
            latest = self.today - dt.timedelta(days=7)
            if status == VolunteerStatus.CANDIDATE:
                enrolled = self._day_between(
                    max(person.release_date, self.today - dt.timedelta(days=60)), latest)
            else:
                enrolled = min(person.release_date + dt.timedelta(days=rng.randint(10, 120)),
                               latest)
            plan = _VolunteerPlan(person, status, enrolled)
            if status != VolunteerStatus.CANDIDATE or rng.random() < 0.5:
                plan.consent_date = min(enrolled + dt.timedelta(days=rng.randint(0, 7)),
                                        self.today)
            if status in (VolunteerStatus.LEFT, VolunteerStatus.REOFFENDED):
                # within the last ten months, so the year's reports and events show them
                first = max(enrolled + dt.timedelta(days=45), self.today - dt.timedelta(days=300))
                plan.exit_date = self._day_between(min(first, self.today), self.today)
            plans.append(plan)
        plans.sort(key=lambda v: (v.enrolled_on, v.person.id))
        per_year: dict[int, int] = {}
        for plan in plans:
            if plan.consent_date is not None:
                year = plan.consent_date.year
                per_year[year] = per_year.get(year, 0) + 1
                plan.consent_number = f"{per_year[year]:03d}/{year}"
        return plans

    def _make_volunteers(self) -> None:
        rng = self.rng
        coordinators = STAFF[:2]
        held = [e for e in self.events if e.status == EventStatus.HELD]
        for plan in self._plan_volunteers():
            # A re-offender was active first; the status changes once the outcome is recorded.
            initial = (VolunteerStatus.ACTIVE if plan.status == VolunteerStatus.REOFFENDED
                       else plan.status)
            left = initial == VolunteerStatus.LEFT
            volunteer = create_volunteer(session=self.session, actor=self.admin,
                                         data=VolunteerCreate(
                person_id=plan.person.id, facility_id=self.own_id,
                enrolled_on=plan.enrolled_on, consent_number=plan.consent_number,
                consent_date=plan.consent_date, coordinator=rng.choice(coordinators),
                status=initial, exit_date=plan.exit_date if left else None,
                exit_reason=rng.choice(EXIT_REASONS) if left else "",
                notes="Прошёл инструктаж волонтёра" if rng.random() < 0.3 else ""))
            assert volunteer.id is not None
            self._loaded.append(volunteer)
            self.volunteers.append((volunteer.id, plan))
            if plan.status != VolunteerStatus.CANDIDATE:
                end = plan.exit_date or self.today
                events = [e for e in held if plan.enrolled_on <= e.date <= end]
                for event in sorted(self._pick_events(events, 1, 8), key=lambda e: e.date):
                    create_participation(session=self.session, actor=self.admin,
                                         data=ParticipationCreate(
                        volunteer_id=volunteer.id, event_id=event.id,
                        role=rng.choices(list(ParticipationRole), weights=(35, 30, 20, 15))[0],
                        hours=rng.choice((1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0))))
                    self.participations += 1
            if plan.status == VolunteerStatus.REOFFENDED:
                assert plan.exit_date is not None
                self._outcome(plan.person, plan.exit_date, OutcomeKind.REPEAT_OFFENCE)
                update_volunteer(session=self.session, actor=self.admin,
                                 volunteer_id=volunteer.id, data=VolunteerUpdate(
                    status=VolunteerStatus.REOFFENDED, exit_date=plan.exit_date,
                    exit_reason="Повторное преступление"))
        self._other_outcomes({plan.person.id for _vid, plan in self.volunteers})

    def _pick_events(self, events: list[_EventInfo], low: int, high: int) -> list[_EventInfo]:
        return self.rng.sample(events, min(self.rng.randint(low, high), len(events)))

    def _other_outcomes(self, volunteer_person_ids: set[int]) -> None:
        rng = self.rng
        others = [p for p in self.persons
                  if p.status in (PersonStatus.RELEASED, PersonStatus.PROBATION)
                  and p.id not in volunteer_person_ids and p.release_date is not None
                  and p.release_date <= self.today - dt.timedelta(days=40)]
        for person in rng.sample(others, min(rng.randint(2, 4), len(others))):
            assert person.release_date is not None
            day = self._day_between(person.release_date + dt.timedelta(days=30), self.today)
            kind = (OutcomeKind.PROBATION_VIOLATION
                    if person.status == PersonStatus.PROBATION and rng.random() < 0.7
                    else OutcomeKind.REPEAT_OFFENCE)
            self._outcome(person, day, kind)

    def _outcome(self, person: _PersonInfo, day: dt.date, kind: OutcomeKind) -> None:
        article_id = None
        if kind == OutcomeKind.REPEAT_OFFENCE:
            articles = person.article_ids or list(self.refs[ReferenceList.ARTICLE].values())
            article_id = self.rng.choice(articles) if articles else None
        notes = ("Возбуждено уголовное дело" if kind == OutcomeKind.REPEAT_OFFENCE
                 else "Неявка к инспектору пробации")
        create_outcome(session=self.session, actor=self.admin, data=OutcomeCreate(
            person_id=person.id, outcome_date=day, kind=kind, article_id=article_id,
            notes=notes))
        self.outcomes += 1
