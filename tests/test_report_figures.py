"""The monthly figures, checked against a small registry whose every number is worked out by hand.

The fixture (`registry`) builds, through the real operations, facility №69's year up to
October 2026 (today is fixed at 15.11.2026). The report is for October 2026: the month is
01–31.10.2026, the year to date 01.01–31.10.2026, the 12-month window 01.11.2025–31.10.2026.

Persons: S1, S2, S3 serving; R1 released (never a volunteer); A…J volunteers of №69; H a
volunteer of №54. Events of №69 (E1…E7) and one of №54 (E8):

  E1 05.10.2026 10:00  held       in №69   explanatory meeting  20/2/0   S1, R1   wants 3  mat. 30
  E3 12.10.2026 15:00  held       in №69   lecture              15/0/5   S2       wants 0  mat. 0
  E2 12.10.2026 —      held       outside  anti-drug action      0/4/50  R1       wants 1  mat. 100
  E4 10.03.2026 11:00  held       in №69   film (retired later) 30/0/0   S1, S3   wants 2  mat. 25
  E5 10.12.2025        held       in №69   consultation (retired later, no events in 2026)
  E6 20.10.2026        planned    in №69   round table          10/0/0
  E7 21.10.2026        cancelled  in №69   sports/cultural      10/0/0
  E8 07.10.2026        held       in №54   lecture — of facility №54, not counted for №69

Volunteers of №69 (enrolled; status; exit) and their participations and outcomes:
  A 01.03.2025 active                    E1 2 h, E8 3 h, E4 1.5 h, E5 4 h
  B 03.10.2026 active                    E2 2.5 h; a violation on 01.09.2026, before enrolling
  C 01.02.2026 re-offended 20.10.2026    E4 1 h; a repeat offence on 20.10.2026
  D 01.04.2026 left 30.06.2026
  E 01.06.2025 paused                    a probation violation on 05.12.2025
  F 01.05.2025 left 05.11.2026           E6 (planned) 2 h
  G 01.03.2025 left 30.09.2025           a repeat offence on 10.09.2026, after leaving
  I 01.09.2026 candidate (no consent)
  J 10.11.2026 candidate (after the month)
Volunteer H of №54: E1 1 h; a repeat offence on 10.10.2026. R1: a repeat offence on 15.10.2026.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from ops_support import (
    agency,
    home,
    kind,
    new_event,
    new_facility,
    new_participation,
    new_person,
    new_volunteer,
    topic,
)
from sqlalchemy import event as sa_event
from sqlmodel import Session

from db.models import OutcomeCreate, User, VolunteerUpdate
from db.months import Month
from db.ops.references import update_item
from db.ops.volunteers import create_outcome, update_volunteer
from reports.model import (
    EventLine,
    FacilityInfo,
    KindCount,
    MonthlyReport,
    Pair,
    Signature,
    summary_rows,
)
from reports.monthly import build_monthly_report, no_reoffence_rate, report_json, window_start

D = dt.date
OCTOBER = Month(2026, 10)
NOW = dt.datetime(2026, 11, 15, 9, 30)


def _outcome(session: Session, admin: User, person_id: int, day: dt.date,
             kind_code: str = "repeat_offence") -> None:
    create_outcome(session=session, actor=admin, data=OutcomeCreate(
        person_id=person_id, outcome_date=day, kind=kind_code))


@pytest.fixture
def registry(session: Session, admin: User, fixed_today: dt.date) -> int:
    """Builds the registry described in the module's docstring; returns №69's id."""
    own = home(session)
    other = new_facility(session, admin, "54")
    assert own.id is not None and other.id is not None

    s1 = new_person(session, admin, surname="Серикбаев", status="serving", release_date=None)
    s2 = new_person(session, admin, surname="Толеуов", status="serving", release_date=None)
    s3 = new_person(session, admin, surname="Усенов", status="serving", release_date=None)
    r1 = new_person(session, admin, surname="Рахимов")
    released_2025 = {"release_date": D(2025, 1, 10)}
    pa = new_person(session, admin, surname="Абаев", **released_2025)
    pb = new_person(session, admin, surname="Бекова", status="probation")
    pc = new_person(session, admin, surname="Сапаров")
    pd = new_person(session, admin, surname="Давлетов")
    pe = new_person(session, admin, surname="Ержанов", status="probation", **released_2025)
    pf = new_person(session, admin, surname="Фёдоров", **released_2025)
    pg = new_person(session, admin, surname="Галиев", **released_2025)
    pi = new_person(session, admin, surname="Исаев")
    pj = new_person(session, admin, surname="Жумабаев")
    ph = new_person(session, admin, surname="Хасанов", facility_id=other.id)

    def attendee(person_id: int | None, category: str) -> dict:
        return {"person_id": person_id, "category": category}

    e1 = new_event(session, admin, event_date=D(2026, 10, 5), event_time=dt.time(10, 0),
                   kind_id=kind(session, "explanatory_meeting").id,
                   count_serving=20, count_released=2, count_community=0,
                   wants_to_volunteer=3, materials_count=30, responsible="Жұмабаев Д. Н.",
                   # given out of the lists' order: the report sorts them by the list
                   topic_ids=[topic(session, "healthy_lifestyle").id,
                              topic(session, "addiction_prevention").id],
                   agency_ids=[agency(session, "facility").id, agency(session, "city_police").id],
                   attendees=[attendee(s1.id, "serving"), attendee(r1.id, "released")])
    # E3 is saved before E2, so only the time rule can put E2 (no time) first on 12.10.
    e3 = new_event(session, admin, event_date=D(2026, 10, 12), event_time=dt.time(15, 0),
                   kind_id=kind(session, "lecture").id,
                   count_serving=15, count_released=0, count_community=5,
                   attendees=[attendee(s2.id, "serving")])
    e2 = new_event(session, admin, event_date=D(2026, 10, 12), event_time=None,
                   place_kind="outside", place_facility_id=None, place_text="СОШ №5",
                   kind_id=kind(session, "action").id,
                   count_serving=0, count_released=4, count_community=50,
                   wants_to_volunteer=1, materials_count=100,
                   topic_ids=[topic(session, "volunteering").id],
                   agency_ids=[agency(session, "akimat").id],
                   attendees=[attendee(r1.id, "released")])
    e4 = new_event(session, admin, event_date=D(2026, 3, 10), event_time=dt.time(11, 0),
                   kind_id=kind(session, "film").id, count_serving=30, count_released=0,
                   wants_to_volunteer=2, materials_count=25,
                   attendees=[attendee(s1.id, "serving"), attendee(s3.id, "serving")])
    e5 = new_event(session, admin, event_date=D(2025, 12, 10),
                   kind_id=kind(session, "consultation").id, count_serving=10,
                   count_released=0)
    e6 = new_event(session, admin, event_date=D(2026, 10, 20), status="planned",
                   kind_id=kind(session, "round_table").id, count_serving=10, count_released=0)
    new_event(session, admin, event_date=D(2026, 10, 21), status="cancelled",
              kind_id=kind(session, "sports_cultural").id, count_serving=10, count_released=0)
    e8 = new_event(session, admin, facility_id=other.id, place_facility_id=other.id,
                   event_date=D(2026, 10, 7), kind_id=kind(session, "lecture").id,
                   count_serving=40, count_released=1,
                   attendees=[attendee(r1.id, "released")])
    # Retired kinds: film keeps its row (an event this year), consultation drops out.
    for code in ("film", "consultation"):
        update_item(session=session, actor=admin, item_id=kind(session, code).id, retired=True)

    va = new_volunteer(session, admin, pa, enrolled_on=D(2025, 3, 1),
                       consent_date=D(2025, 3, 1))
    vb = new_volunteer(session, admin, pb, enrolled_on=D(2026, 10, 3),
                       consent_date=D(2026, 10, 3))
    vc = new_volunteer(session, admin, pc, enrolled_on=D(2026, 2, 1),
                       consent_date=D(2026, 2, 1))
    new_volunteer(session, admin, pd, enrolled_on=D(2026, 4, 1), consent_date=D(2026, 4, 1),
                  status="left", exit_date=D(2026, 6, 30), exit_reason="Переезд")
    ve = new_volunteer(session, admin, pe, enrolled_on=D(2025, 6, 1),
                       consent_date=D(2025, 6, 1))
    vf = new_volunteer(session, admin, pf, enrolled_on=D(2025, 5, 1),
                       consent_date=D(2025, 5, 1), status="left", exit_date=D(2026, 11, 5),
                       exit_reason="Работа")
    new_volunteer(session, admin, pg, enrolled_on=D(2025, 3, 1), consent_date=D(2025, 3, 1),
                  status="left", exit_date=D(2025, 9, 30), exit_reason="Переезд")
    new_volunteer(session, admin, pi, enrolled_on=D(2026, 9, 1), status="candidate",
                  consent_number="", consent_date=None)
    new_volunteer(session, admin, pj, enrolled_on=D(2026, 11, 10), status="candidate",
                  consent_number="", consent_date=None)
    vh = new_volunteer(session, admin, ph, facility_id=other.id, enrolled_on=D(2026, 1, 15),
                       consent_date=D(2026, 1, 15))

    for volunteer, event, hours in ((va, e1, 2.0), (va, e8, 3.0), (va, e4, 1.5), (va, e5, 4.0),
                                    (vb, e2, 2.5), (vc, e4, 1.0), (vf, e6, 2.0), (vh, e1, 1.0)):
        new_participation(session, admin, volunteer, event, hours=hours)

    _outcome(session, admin, pb.id, D(2026, 9, 1), "probation_violation")
    _outcome(session, admin, pc.id, D(2026, 10, 20))
    update_volunteer(session=session, actor=admin, volunteer_id=vc.id, data=VolunteerUpdate(
        status="reoffended", exit_date=D(2026, 10, 20), exit_reason="Повторное преступление"))
    _outcome(session, admin, pe.id, D(2025, 12, 5), "probation_violation")
    update_volunteer(session=session, actor=admin, volunteer_id=ve.id,
                     data=VolunteerUpdate(status="paused"))
    _outcome(session, admin, pg.id, D(2026, 9, 10))
    _outcome(session, admin, ph.id, D(2026, 10, 10))
    _outcome(session, admin, r1.id, D(2026, 10, 15))
    assert e3.id is not None and e3.id < e2.id
    return own.id


SIGNATURE = Signature(prepared_by="Оспанова Г. М.", position="Социальный работник",
                      phone="+7 701 123 45 67", head_name="Құдайбергенов А. С.")


def _october(session: Session, facility_id: int) -> MonthlyReport:
    return build_monthly_report(session, facility_id=facility_id, month=OCTOBER,
                                signature=SIGNATURE, now=NOW)


def _kinds(*figures: tuple[int, int] | None) -> list[KindCount]:
    """The default kinds in their list order with (month, year) figures; None drops one."""
    names = [
        ("explanatory_meeting", "Разъяснительная встреча", "Түсіндіру кездесуі"),
        ("lecture", "Лекция, беседа", "Дәріс, әңгіме"),
        ("action", "Антинаркотическая акция", "Есірткіге қарсы акция"),
        ("round_table", "Круглый стол", "Дөңгелек үстел"),
        ("film", "Просмотр фильма", "Фильм көрсету"),
        ("sports_cultural", "Спортивное или культурное мероприятие",
         "Спорттық немесе мәдени іс-шара"),
        ("consultation", "Индивидуальная консультация", "Жеке кеңес беру"),
        ("materials", "Распространение материалов", "Материалдар тарату"),
    ]
    return [KindCount(code, ru, kk, Pair(*pair))
            for (code, ru, kk), pair in zip(names, figures, strict=True) if pair is not None]


def test_report_figures_october(session: Session, registry: int) -> None:
    report = _october(session, registry)
    expected = MonthlyReport(
        facility=FacilityInfo(code="69", name="Учреждение №69", facility_type="medium",
                              region=""),
        month=OCTOBER,
        generated_at=NOW,
        # 1. Month: E1, E2, E3 (E6 planned, E7 cancelled, E8 of №54 not counted);
        #    year: also E4 (E5 is in 2025).
        events_total=Pair(3, 4),
        events_inside=Pair(2, 3),  # E1, E3 (+ E4)
        events_outside=Pair(1, 1),  # E2
        # Kinds by list order: explanatory E1; lecture E3 (E8 is №54's); action E2; film E4
        # (retired, kept for its event); consultation retired with only a 2025 event: dropped.
        events_by_kind=_kinds((1, 1), (1, 1), (1, 1), (0, 0), (0, 1), (0, 0), None, (0, 0)),
        # 2. Sums of the counts: serving 20+15+0 = 35, + E4's 30 = 65; released 2+0+4 = 6;
        #    community 0+5+50 = 55; total 96 and 126.
        attendances_serving=Pair(35, 65),
        attendances_released=Pair(6, 6),
        attendances_community=Pair(55, 55),
        attendances_total=Pair(96, 126),
        # Named: S1 (E1), R1 (E1 and E2: two attendances, one person), S2 (E3) = 3;
        # the year adds S3 (E4; S1 again) = 4. R1 at E8 (№54) changes nothing.
        unique_persons=Pair(3, 4),
        wants_to_volunteer=Pair(4, 6),  # 3 + 1 + 0, + E4's 2
        materials_handed_out=Pair(130, 155),  # 30 + 100 + 0, + E4's 25
        # 3. New: B (03.10) in the month; the year adds C (01.02), D (01.04), I (01.09).
        volunteers_new=Pair(1, 4),
        # Active at 31.10: A, B, and F (left only on 05.11). Not C (exited 20.10), D, G (left),
        # E (paused), I (candidate, no consent), J (enrolled in November).
        volunteers_active_at_end=3,
        volunteers_left=Pair(1, 2),  # C on 20.10; D on 30.06 (F leaves in November)
        # №69's volunteers in held events: month A (E1, E8 of №54), B (E2); year adds C (E4).
        # F's part in planned E6 and H (№54's volunteer) at E1 do not count.
        volunteers_taking_part=Pair(2, 3),
        volunteer_hours=Pair(7.5, 10.0),  # 2 + 3 + 2.5; + A's 1.5 and C's 1 at E4 (E5: 2025)
        # 4. Outcomes after enrolment as №69's volunteer: month C (20.10); year also G (10.09,
        #    after leaving); 12 months also E (05.12.2025). B's (before enrolling), H's (№54's
        #    volunteer) and R1's (never a volunteer) do not count.
        volunteer_reoffences=Pair(1, 2),
        volunteer_reoffences_12m=3,
        # Considered: A, B, C, D, E, F, I (G left before 01.11.2025, J enrolled in November)
        # = 7; with an outcome in the window: C, E = 2; (7 − 2) / 7 = 71.43 % → 71.4.
        volunteers_considered_12m=7,
        no_reoffence_rate_12m=71.4,
        events=[
            EventLine(event_date=D(2026, 10, 5), event_time=dt.time(10, 0),
                      kind_ru="Разъяснительная встреча", kind_kk="Түсіндіру кездесуі",
                      place="Учреждение №69", inside=True,
                      topics_ru=["Профилактика наркомании", "Здоровый образ жизни"],
                      topics_kk=["Нашақорлықтың алдын алу", "Салауатты өмір салты"],
                      organizers_ru=["Городское управление полиции", "Учреждение"],
                      organizers_kk=["Қалалық полиция басқармасы", "Мекеме"],
                      count_serving=20, count_released=2, count_community=0,
                      named=2, volunteers=2,  # A and №54's H both took part
                      responsible="Жұмабаев Д. Н."),
            # On 12.10 the event without a time comes first.
            EventLine(event_date=D(2026, 10, 12), event_time=None,
                      kind_ru="Антинаркотическая акция", kind_kk="Есірткіге қарсы акция",
                      place="СОШ №5", inside=False,
                      topics_ru=["Возможности волонтёрства"],
                      topics_kk=["Еріктілік мүмкіндіктері"],
                      organizers_ru=["Акимат"], organizers_kk=["Әкімдік"],
                      count_serving=0, count_released=4, count_community=50,
                      named=1, volunteers=1, responsible=""),
            EventLine(event_date=D(2026, 10, 12), event_time=dt.time(15, 0),
                      kind_ru="Лекция, беседа", kind_kk="Дәріс, әңгіме",
                      place="Учреждение №69", inside=True,
                      topics_ru=[], topics_kk=[], organizers_ru=[], organizers_kk=[],
                      count_serving=15, count_released=0, count_community=5,
                      named=1, volunteers=0, responsible=""),
        ],
        signature=SIGNATURE,
    )
    for field in dataclasses.fields(MonthlyReport):  # one field at a time: readable failures
        assert getattr(report, field.name) == getattr(expected, field.name), field.name
    assert report == expected
    assert [line.audience for line in report.events] == [22, 54, 20]


def test_report_figures_other_facility_sees_only_its_own(session: Session,
                                                         registry: int) -> None:
    other = next(f for f in _facilities(session) if f.code == "54")
    report = build_monthly_report(session, facility_id=other.id, month=OCTOBER, now=NOW)
    assert report.events_total == Pair(1, 1)  # E8
    assert report.unique_persons == Pair(1, 1)  # R1
    assert report.volunteers_taking_part == Pair(1, 1)  # H at E1 (an event of №69)
    assert report.volunteer_hours == Pair(1.0, 1.0)
    assert report.volunteer_reoffences == Pair(1, 1)  # H on 10.10
    assert (report.volunteers_considered_12m, report.no_reoffence_rate_12m) == (1, 0.0)
    assert report.signature == Signature()


def _facilities(session: Session) -> list:
    from db.ops.facilities import list_facilities

    return list_facilities(session)


def test_report_figures_empty_month_gives_zeros(session: Session, admin: User,
                                                fixed_today: dt.date) -> None:
    report = build_monthly_report(session, facility_id=home(session).id, month=OCTOBER,
                                  now=NOW)
    zero = Pair(0, 0)
    for name in ("events_total", "events_inside", "events_outside", "attendances_serving",
                 "attendances_released", "attendances_community", "attendances_total",
                 "unique_persons", "wants_to_volunteer", "materials_handed_out",
                 "volunteers_new", "volunteers_left", "volunteers_taking_part",
                 "volunteer_reoffences"):
        assert getattr(report, name) == zero, name
    assert report.volunteer_hours == Pair(0.0, 0.0)
    assert (report.volunteers_active_at_end, report.volunteer_reoffences_12m,
            report.volunteers_considered_12m, report.no_reoffence_rate_12m) == (0, 0, 0, None)
    assert report.events == []
    assert report.signature == Signature()
    # every current kind, zeros included, in the list's order
    assert [k.code for k in report.events_by_kind] == [
        "explanatory_meeting", "lecture", "action", "round_table", "film", "sports_cultural",
        "consultation", "materials"]
    assert {k.events for k in report.events_by_kind} == {zero}


def test_report_figures_year_to_date_starts_in_january(session: Session,
                                                       registry: int) -> None:
    # January 2026: E5 (10.12.2025) is neither in the month nor in the year to date.
    report = build_monthly_report(session, facility_id=registry, month=Month(2026, 1), now=NOW)
    assert report.events_total == Pair(0, 0)
    assert report.volunteer_hours == Pair(0.0, 0.0)
    # the window 01.02.2025–31.01.2026 holds E's violation of 05.12.2025 but no year figure
    assert report.volunteer_reoffences == Pair(0, 0)
    assert report.volunteer_reoffences_12m == 1
    # A, E, F, G (left 30.09.2025, inside the window) = 4, of whom E re-offended: 75.0
    assert (report.volunteers_considered_12m, report.no_reoffence_rate_12m) == (4, 75.0)


def test_report_figures_are_reproducible(session: Session, registry: int) -> None:
    first = _october(session, registry)
    session.expunge_all()  # a fresh read, not the identity map's objects
    second = build_monthly_report(session, facility_id=registry, month=OCTOBER,
                                  signature=SIGNATURE, now=dt.datetime(2027, 1, 1))
    assert dataclasses.replace(second, generated_at=first.generated_at) == first
    assert report_json(dataclasses.replace(second, generated_at=NOW)) == report_json(first)


def test_report_figures_default_now_is_naive_local(session: Session, registry: int) -> None:
    before = dt.datetime.now()
    report = build_monthly_report(session, facility_id=registry, month=OCTOBER)
    assert report.generated_at.tzinfo is None
    assert before <= report.generated_at <= dt.datetime.now()


def test_report_figures_use_few_queries(session: Session, registry: int) -> None:
    """Aggregated in SQL: the number of statements does not grow with the data."""
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        statements.append(statement)

    engine = session.get_bind()
    sa_event.listen(engine, "before_cursor_execute", count)
    try:
        session.expunge_all()
        _october(session, registry)
    finally:
        sa_event.remove(engine, "before_cursor_execute", count)
    assert len(statements) <= 12, statements


def test_report_summary_rows_numbering(session: Session, registry: int) -> None:
    rows = summary_rows(_october(session, registry), "ru")
    assert [r.number for r in rows] == [
        "1", "1.1", "1.2", "1.3", "1.3.1", "1.3.2", "1.3.3", "1.3.4", "1.3.5", "1.3.6",
        "1.3.7",
        "2", "2.1", "2.2", "2.3", "2.4", "2.5", "2.6",
        "3", "3.1", "3.2", "3.3", "3.4", "3.5",
        "4", "4.1", "4.2", "4.3", "4.4"]
    by_number = {r.number: r for r in rows}
    assert (by_number["1"].month, by_number["1"].year) == (3, 4)
    assert by_number["1.3"].heading and by_number["1.3"].month is None
    assert by_number["1.3.5"].label == "Просмотр фильма"  # the 7 kinds shown, retired film too
    assert by_number["1.3.5"].translate_label is False
    assert by_number["3.5"].decimals == 1 and by_number["3"].heading
    assert (by_number["3.2"].month, by_number["3.2"].year) == (3, 3)
    assert (by_number["4.4"].month, by_number["4.4"].percent) == (71.4, True)
    kk = {r.number: r for r in summary_rows(_october(session, registry), "kk")}
    assert kk["1.3.1"].label == "Түсіндіру кездесуі"


def test_report_json_round_trip(session: Session, registry: int) -> None:
    report = _october(session, registry)
    text = report_json(report)
    data = json.loads(text)
    assert "Учреждение №69" in text  # not escaped to \\u…
    assert data == report.as_json_dict()
    assert data["month"] == "2026-10"
    assert data["generated_at"] == "2026-11-15T09:30:00"
    assert data["facility"] == {"code": "69", "name": "Учреждение №69",
                                "facility_type": "medium", "region": ""}
    assert data["events_total"] == {"month": 3, "year": 4}
    assert data["volunteer_hours"] == {"month": 7.5, "year": 10.0}
    assert data["no_reoffence_rate_12m"] == 71.4
    assert [(e["event_date"], e["event_time"]) for e in data["events"]] == [
        ("2026-10-05", "10:00:00"), ("2026-10-12", None), ("2026-10-12", "15:00:00")]
    assert data["events_by_kind"][4] == {"code": "film", "name_ru": "Просмотр фильма",
                                         "name_kk": "Фильм көрсету",
                                         "events": {"month": 0, "year": 1}}
    assert data["signature"]["head_name"] == "Құдайбергенов А. С."
    assert list(data) == sorted(data)


@pytest.mark.parametrize(("considered", "reoffended", "rate"), [
    (0, 0, None), (3, 1, 66.7), (3, 0, 100.0), (3, 3, 0.0), (7, 2, 71.4),
    (400, 351, 12.3),  # 12.25 exactly: half up, not to even
])
def test_report_no_reoffence_rate(considered: int, reoffended: int, rate: float | None) -> None:
    assert no_reoffence_rate(considered, reoffended) == rate


@pytest.mark.parametrize(("month", "start"), [
    (Month(2026, 10), D(2025, 11, 1)), (Month(2026, 12), D(2026, 1, 1)),
    (Month(2026, 1), D(2025, 2, 1)), (Month(2028, 2), D(2027, 3, 1)),
])
def test_report_window_start(month: Month, start: dt.date) -> None:
    assert window_start(month) == start
