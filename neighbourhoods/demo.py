"""Demo neighbourhoods: three teams for each demo force, with made-up people, priorities and
meetings (every name and event here is fictional), tagged to the force's demo news, and in
Welsh too for Dyfed-Powys Police. Called by the demo seed (``demo.seed.seed_demo``)."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from wagtail.models import Page

from forces.national import bilingual
from home.models import NewsPage

from .models import NeighbourhoodIndexPage, NeighbourhoodPage, NewsNeighbourhood


@dataclass(frozen=True)
class Priority:
    title: str
    description: str
    set_days_ago: int
    review_in_days: int


@dataclass(frozen=True)
class Meeting:
    title: str
    in_days: int
    start: datetime.time
    end: datetime.time
    place: str
    address: str


@dataclass(frozen=True)
class Team:
    slug: str
    title: str
    team_name: str
    summary: str
    intro: str
    areas: str
    email: str
    note: str
    officers: list  # (name, role)
    priorities: list = field(default_factory=list)
    meetings: list = field(default_factory=list)
    news: list = field(default_factory=list)  # slugs of the force's demo news to tag


def _t(hour, minute=0):
    return datetime.time(hour, minute)


MET = [
    Team(
        slug="st-jamess",
        title="St James's",
        team_name="St James's Safer Neighbourhood Team",
        summary="Westminster around St James's Park, Piccadilly and Trafalgar Square.",
        intro="<p>We police the streets between Piccadilly, Whitehall and St James's Park: "
        "theatres, shops, offices and the homes of about 9,000 residents.</p>",
        areas="SW1A 1, SW1A 2, SW1Y 4, SW1Y 5",
        email="stjames.snt@met.example.police.uk",
        note="We read emails Monday to Friday, 8am to 6pm. We cannot take reports of crime "
        "by email.",
        officers=[
            ("Sergeant Aisha Mensah", "Neighbourhood Sergeant"),
            ("PC Daniel Kowalski", "Dedicated Ward Officer"),
            ("PC Rhiannon Price", "Dedicated Ward Officer"),
            ("PCSO Imran Qureshi", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Phone snatching on Haymarket and Pall Mall",
                "Plain-clothes patrols at the busiest times, and advice stands outside the "
                "theatres on Friday and Saturday evenings.",
                40,
                50,
            ),
            Priority(
                "Aggressive begging near Trafalgar Square",
                "Working with the council's outreach team to offer support first, and "
                "enforcement where it is refused.",
                25,
                65,
            ),
        ],
        meetings=[
            Meeting(
                "Ward panel meeting",
                12,
                _t(18, 30),
                _t(20),
                "St James's Church hall",
                "197 Piccadilly\nLondon\nW1J 9LL",
            ),
            Meeting(
                "Street surgery",
                5,
                _t(11),
                _t(13),
                "Outside Charing Cross station",
                "Strand\nLondon\nWC2N 5HF",
            ),
        ],
        news=["phone-snatching-operation-camden-westminster", "extra-patrols-west-end-christmas"],
    ),
    Team(
        slug="camden-town",
        title="Camden Town",
        team_name="Camden Town with Primrose Hill Safer Neighbourhood Team",
        summary="Camden Town, the markets and Primrose Hill.",
        intro="<p>From the markets and the lock to the streets around Primrose Hill, we work "
        "with residents, traders and the council to keep Camden Town safe day and night.</p>",
        areas="NW1 0, NW1 7, NW1 8, NW1 9",
        email="camdentown.snt@met.example.police.uk",
        note="Leave a message on our voicemail and we will call you back within two working days.",
        officers=[
            ("Sergeant Tom Adeyemi", "Neighbourhood Sergeant"),
            ("PC Sofia Marino", "Dedicated Ward Officer"),
            ("PCSO Grace Whitfield", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Drug dealing around the lock and the canal towpath",
                "High-visibility patrols and closure orders on problem premises.",
                30,
                60,
            ),
            Priority(
                "Moped-enabled phone theft on Camden High Street",
                "Targeted patrols with the Roads and Transport Policing Command.",
                14,
                76,
            ),
        ],
        meetings=[
            Meeting(
                "Meet the team",
                9,
                _t(14),
                _t(16),
                "Camden Market, Stables entrance",
                "Chalk Farm Road\nLondon\nNW1 8AH",
            ),
        ],
        news=["phone-snatching-operation-camden-westminster"],
    ),
    Team(
        slug="hackney-central",
        title="Hackney Central",
        team_name="Hackney Central Safer Neighbourhood Team",
        summary="Mare Street, Hackney Central station and London Fields.",
        intro="<p>We cover Mare Street, the Narrow Way, London Fields and the streets around "
        "Hackney Central station.</p>",
        areas="E8 1, E8 2, E8 3, E8 4",
        email="hackneycentral.snt@met.example.police.uk",
        note="We read emails Monday to Friday, 9am to 5pm.",
        officers=[
            ("Sergeant Femi Okonjo", "Neighbourhood Sergeant"),
            ("PC Laura Byrne", "Dedicated Ward Officer"),
            ("PCSO Kwame Asante", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Bike theft at London Fields and the station",
                "Free bike marking every month and covert bait bikes.",
                21,
                69,
            ),
            Priority(
                "Antisocial behaviour on the Narrow Way",
                "Joint patrols with Hackney Council's enforcement officers.",
                45,
                45,
            ),
        ],
        meetings=[
            Meeting(
                "Bike marking and crime prevention stall",
                6,
                _t(10),
                _t(14),
                "Hackney Central Library",
                "1 Reading Lane\nLondon\nE8 1GQ",
            ),
            Meeting(
                "Ward panel meeting",
                20,
                _t(19),
                _t(20, 30),
                "Hackney Town Hall, committee room 2",
                "Mare Street\nLondon\nE8 1EA",
            ),
        ],
        news=["stolen-bikes-recovered-hackney"],
    ),
]

THAMES_VALLEY = [
    Team(
        slug="reading-central",
        title="Reading Central",
        team_name="Reading Central Neighbourhood Policing Team",
        summary="Reading town centre, the Oracle and the station.",
        intro="<p>We look after Reading town centre: Broad Street, the Oracle, Friar Street's "
        "night-time economy and the station.</p>",
        areas="RG1 1, RG1 2, RG1 3, RG1 7, RG1 8",
        email="reading.central.npt@thamesvalley.example.police.uk",
        note="We read emails Monday to Friday, 8am to 4pm.",
        officers=[
            ("Sergeant Harpreet Gill", "Neighbourhood Sergeant"),
            ("PC Owen Marsh", "Neighbourhood Officer"),
            ("PCSO Chloe Bennett", "Police Community Support Officer"),
            ("PCSO Marek Nowak", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Shoplifting in Broad Street and the Oracle",
                "Working with the Business Improvement District's radio scheme and store "
                "security teams.",
                35,
                55,
            ),
            Priority(
                "Safety in the night-time economy",
                "Patrols on Friday and Saturday nights with the street pastors and licensing.",
                60,
                30,
            ),
        ],
        meetings=[
            Meeting(
                "Police surgery",
                4,
                _t(10),
                _t(12),
                "Reading Central Library",
                "Abbey Square\nReading\nRG1 3BQ",
            ),
            Meeting(
                "Neighbourhood action group",
                18,
                _t(18),
                _t(19, 30),
                "Reading Civic Offices",
                "Bridge Street\nReading\nRG1 2LU",
            ),
        ],
    ),
    Team(
        slug="oxford-city-centre",
        title="Oxford City Centre",
        team_name="Oxford City Centre Neighbourhood Policing Team",
        summary="Oxford's city centre, the colleges and the covered market.",
        intro="<p>We work with the colleges, the universities and businesses across Oxford "
        "city centre, from Gloucester Green to Magdalen Bridge.</p>",
        areas="OX1 1, OX1 2, OX1 3, OX1 4",
        email="oxford.city.npt@thamesvalley.example.police.uk",
        note="For a quicker answer, call 101 and ask for the city centre team.",
        officers=[
            ("Sergeant Eleanor Page", "Neighbourhood Sergeant"),
            ("PC Jamal Idris", "Neighbourhood Officer"),
            ("PCSO Beth Carter", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Cycle theft",
                "Free bike marking, and patrols at the cycle racks most targeted.",
                28,
                62,
            ),
            Priority(
                "Begging and rough sleeping in Cornmarket Street",
                "Referrals to the city council's outreach service.",
                50,
                40,
            ),
        ],
        meetings=[
            Meeting(
                "Bike marking on Broad Street",
                2,
                _t(10),
                _t(14),
                "Broad Street, outside the Weston Library",
                "Broad Street\nOxford\nOX1 3BG",
            ),
        ],
        news=["free-bike-marking-oxford"],
    ),
    Team(
        slug="banbury",
        title="Banbury",
        team_name="Banbury Neighbourhood Policing Team",
        summary="Banbury town and the villages around it.",
        intro="<p>We cover Banbury and the surrounding villages, working closely with farmers "
        "and the Rural Crime Taskforce.</p>",
        areas="OX16, OX15 4, OX15 5",
        email="banbury.npt@thamesvalley.example.police.uk",
        note="We read emails Monday to Friday, 9am to 5pm.",
        officers=[
            ("Sergeant Craig Dunmore", "Neighbourhood Sergeant"),
            ("PC Hannah Lowe", "Rural Crime Officer"),
            ("PCSO Ryan Fletcher", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Theft of farm machinery and GPS units",
                "Property marking days with the National Farmers' Union and checks on "
                "vehicles at night.",
                40,
                50,
            ),
        ],
        meetings=[
            Meeting(
                "Rural crime surgery",
                15,
                _t(19),
                _t(20, 30),
                "Bloxham village hall",
                "Church Street\nBloxham\nOX15 4ET",
            ),
        ],
        news=["stolen-farm-machinery-recovered-banbury"],
    ),
]

HAMPSHIRE = [
    Team(
        slug="southampton-central",
        title="Southampton Central",
        team_name="Southampton Central Neighbourhood Policing Team",
        summary="Southampton city centre, Bargate and the waterfront.",
        intro="<p>We police Southampton city centre, from the Bargate and West Quay to Oxford "
        "Street and the cruise terminals.</p>",
        areas="SO14 0, SO14 1, SO14 2, SO14 3, SO15 1",
        email="southampton.central.npt@hampshire.example.police.uk",
        note="We read emails Monday to Friday, 8am to 6pm.",
        officers=[
            ("Sergeant Natalie Brooks", "Neighbourhood Sergeant"),
            ("PC Liam O'Connor", "Neighbourhood Officer"),
            ("PCSO Yasmin Patel", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Violence in the night-time economy",
                "Late-night patrols and a safe space on Bargate Street on Saturday nights.",
                30,
                60,
            ),
            Priority(
                "Shop theft in Above Bar Street",
                "Working with the city's business crime partnership.",
                20,
                70,
            ),
        ],
        meetings=[
            Meeting(
                "Community contact point",
                7,
                _t(12),
                _t(14),
                "Southampton Central Library",
                "Civic Centre\nSouthampton\nSO14 7LW",
            ),
        ],
        news=["christmas-nights-out-southampton-portsmouth"],
    ),
    Team(
        slug="portsmouth-city-centre",
        title="Portsmouth City Centre",
        team_name="Portsmouth City Centre Neighbourhood Policing Team",
        summary="Commercial Road, Guildhall Walk and Gunwharf Quays.",
        intro="<p>We cover Portsmouth city centre: Commercial Road, Guildhall Walk and the "
        "streets around the station and Gunwharf Quays.</p>",
        areas="PO1 1, PO1 2, PO1 3, PO1 4",
        email="portsmouth.central.npt@hampshire.example.police.uk",
        note="We read emails Monday to Friday, 9am to 5pm.",
        officers=[
            ("Sergeant Kieran Walsh", "Neighbourhood Sergeant"),
            ("PC Amara Nwosu", "Neighbourhood Officer"),
            ("PCSO Dan Hollis", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Safety on Guildhall Walk at night",
                "Patrols with licensing officers and door staff.",
                25,
                65,
            ),
        ],
        meetings=[
            Meeting(
                "Beat surgery",
                3,
                _t(15),
                _t(17),
                "Portsmouth Central Library",
                "Guildhall Square\nPortsmouth\nPO1 2DX",
            ),
        ],
        news=[
            "christmas-nights-out-southampton-portsmouth",
            "assault-guildhall-walk-portsmouth",
        ],
    ),
    Team(
        slug="cowes",
        title="Cowes and Northwood",
        team_name="Cowes and Northwood Neighbourhood Policing Team",
        summary="Cowes, East Cowes and Northwood on the Isle of Wight.",
        intro="<p>We cover both sides of the Medina, with the marinas, the ferry terminals "
        "and the communities of Cowes, East Cowes and Northwood.</p>",
        areas="PO31, PO32 6",
        email="cowes.npt@hampshire.example.police.uk",
        note="We read emails Monday to Friday, 9am to 5pm.",
        officers=[
            ("Sergeant Mark Pearce", "Neighbourhood Sergeant"),
            ("PC Jess Tanner", "Marine Crime Officer"),
            ("PCSO Oliver Grant", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Theft of outboard engines from the marinas",
                "Property marking at the marinas and checks on boats being moved at night.",
                18,
                72,
            ),
        ],
        meetings=[
            Meeting(
                "Marine crime drop-in",
                11,
                _t(10),
                _t(12),
                "Cowes Yacht Haven",
                "Vectis Yard\nCowes\nPO31 7BD",
            ),
        ],
        news=["outboard-engines-stolen-cowes"],
    ),
]

DYFED_POWYS = [
    Team(
        slug="carmarthen-town",
        title="Carmarthen Town",
        team_name="Carmarthen Town Neighbourhood Policing Team",
        summary="Carmarthen town centre and the surrounding communities.",
        intro="<p>We look after Carmarthen town centre, the market and the communities along "
        "the Tywi.</p>",
        areas="SA31 1, SA31 2, SA31 3",
        email="carmarthen.npt@dyfed-powys.example.police.uk",
        note="We read emails Monday to Friday, 9am to 5pm, in Welsh or English.",
        officers=[
            ("Sergeant Gareth Jones", "Neighbourhood Sergeant"),
            ("PC Siân Morgan", "Neighbourhood Officer"),
            ("PCSO Dylan Evans", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Antisocial behaviour in the town centre",
                "Evening patrols and work with the council and youth services.",
                30,
                60,
            ),
        ],
        meetings=[
            Meeting(
                "Police surgery",
                8,
                _t(10),
                _t(12),
                "Carmarthen Library",
                "St Peter's Street\nCarmarthen\nSA31 1LN",
            ),
        ],
    ),
    Team(
        slug="aberystwyth",
        title="Aberystwyth",
        team_name="Aberystwyth Neighbourhood Policing Team",
        summary="Aberystwyth town, the seafront and the university.",
        intro="<p>We cover Aberystwyth, from the seafront and the harbour to the university "
        "campus at Penglais.</p>",
        areas="SY23 1, SY23 2, SY23 3, SY23 4",
        email="aberystwyth.npt@dyfed-powys.example.police.uk",
        note="We read emails Monday to Friday, 9am to 5pm, in Welsh or English.",
        officers=[
            ("Sergeant Elin Hughes", "Neighbourhood Sergeant"),
            ("PC Rhys Thomas", "Neighbourhood Officer"),
            ("PCSO Catrin Lewis", "Police Community Support Officer"),
        ],
        priorities=[
            Priority(
                "Student safety at night",
                "Patrols with the university's welfare team during term.",
                20,
                70,
            ),
        ],
        meetings=[
            Meeting(
                "Meet the team",
                13,
                _t(14),
                _t(16),
                "Aberystwyth Arts Centre",
                "Penglais Road\nAberystwyth\nSY23 3DE",
            ),
        ],
    ),
    Team(
        slug="brecon",
        title="Brecon",
        team_name="Brecon Neighbourhood Policing Team",
        summary="Brecon and the villages of the Usk valley.",
        intro="<p>We cover Brecon and the villages of the Usk valley, working with farmers and "
        "the national park.</p>",
        areas="LD3",
        email="brecon.npt@dyfed-powys.example.police.uk",
        note="We read emails Monday to Friday, 9am to 5pm, in Welsh or English.",
        officers=[
            ("Sergeant Huw Price", "Neighbourhood Sergeant"),
            ("PC Megan Powell", "Rural Crime Officer"),
        ],
        priorities=[
            Priority(
                "Theft from farms and quad bikes",
                "Property marking days and patrols with Farm Watch.",
                40,
                50,
            ),
        ],
        meetings=[
            Meeting(
                "Rural crime surgery",
                16,
                _t(19),
                _t(20, 30),
                "Brecon Market Hall",
                "Market Street\nBrecon\nLD3 9AA",
            ),
        ],
    ),
]

# The Welsh of Dyfed-Powys Police's teams: the same strings, in order
# (``forces.national.bilingual``).
WELSH = {
    "carmarthen-town": Team(
        slug="carmarthen-town",
        title="Tref Caerfyrddin",
        team_name="Tîm Plismona Bro Tref Caerfyrddin",
        summary="Canol tref Caerfyrddin a’r cymunedau o’i chwmpas.",
        intro="<p>Rydym yn gofalu am ganol tref Caerfyrddin, y farchnad a’r cymunedau ar hyd "
        "afon Tywi.</p>",
        areas="SA31 1, SA31 2, SA31 3",
        email="carmarthen.npt@dyfed-powys.example.police.uk",
        note="Rydym yn darllen e-byst o ddydd Llun i ddydd Gwener, 9am tan 5pm, yn Gymraeg "
        "neu’n Saesneg.",
        officers=[
            ("Rhingyll Gareth Jones", "Rhingyll Bro"),
            ("PC Siân Morgan", "Swyddog Bro"),
            ("SCCH Dylan Evans", "Swyddog Cymorth Cymunedol yr Heddlu"),
        ],
        priorities=[
            Priority(
                "Ymddygiad gwrthgymdeithasol yng nghanol y dref",
                "Patrolau gyda’r nos a gwaith gyda’r cyngor a’r gwasanaethau ieuenctid.",
                30,
                60,
            ),
        ],
        meetings=[
            Meeting(
                "Cymhorthfa’r heddlu",
                8,
                _t(10),
                _t(12),
                "Llyfrgell Caerfyrddin",
                "Heol San Pedr\nCaerfyrddin\nSA31 1LN",
            ),
        ],
    ),
    "aberystwyth": Team(
        slug="aberystwyth",
        title="Aberystwyth",
        team_name="Tîm Plismona Bro Aberystwyth",
        summary="Tref Aberystwyth, y promenâd a’r brifysgol.",
        intro="<p>Rydym yn gofalu am Aberystwyth, o’r promenâd a’r harbwr i gampws y brifysgol "
        "ym Mhenglais.</p>",
        areas="SY23 1, SY23 2, SY23 3, SY23 4",
        email="aberystwyth.npt@dyfed-powys.example.police.uk",
        note="Rydym yn darllen e-byst o ddydd Llun i ddydd Gwener, 9am tan 5pm, yn Gymraeg "
        "neu’n Saesneg.",
        officers=[
            ("Rhingyll Elin Hughes", "Rhingyll Bro"),
            ("PC Rhys Thomas", "Swyddog Bro"),
            ("SCCH Catrin Lewis", "Swyddog Cymorth Cymunedol yr Heddlu"),
        ],
        priorities=[
            Priority(
                "Diogelwch myfyrwyr gyda’r nos",
                "Patrolau gyda thîm lles y brifysgol yn ystod y tymor.",
                20,
                70,
            ),
        ],
        meetings=[
            Meeting(
                "Cwrdd â’r tîm",
                13,
                _t(14),
                _t(16),
                "Canolfan y Celfyddydau Aberystwyth",
                "Ffordd Penglais\nAberystwyth\nSY23 3DE",
            ),
        ],
    ),
    "brecon": Team(
        slug="brecon",
        title="Aberhonddu",
        team_name="Tîm Plismona Bro Aberhonddu",
        summary="Aberhonddu a phentrefi dyffryn Wysg.",
        intro="<p>Rydym yn gofalu am Aberhonddu a phentrefi dyffryn Wysg, gan weithio gyda "
        "ffermwyr a’r parc cenedlaethol.</p>",
        areas="LD3",
        email="brecon.npt@dyfed-powys.example.police.uk",
        note="Rydym yn darllen e-byst o ddydd Llun i ddydd Gwener, 9am tan 5pm, yn Gymraeg "
        "neu’n Saesneg.",
        officers=[
            ("Rhingyll Huw Price", "Rhingyll Bro"),
            ("PC Megan Powell", "Swyddog Troseddau Cefn Gwlad"),
        ],
        priorities=[
            Priority(
                "Dwyn o ffermydd a beiciau cwad",
                "Diwrnodau marcio eiddo a phatrolau gyda Gwarchod Fferm.",
                40,
                50,
            ),
        ],
        meetings=[
            Meeting(
                "Cymhorthfa troseddau cefn gwlad",
                16,
                _t(19),
                _t(20, 30),
                "Neuadd y Farchnad Aberhonddu",
                "Stryd y Farchnad\nAberhonddu\nLD3 9AA",
            ),
        ],
    ),
}

TEAMS = {
    "met": MET,
    "thames-valley": THAMES_VALLEY,
    "hampshire": HAMPSHIRE,
    "dyfed-powys": DYFED_POWYS,
}


def neighbourhood_page(team, today):
    """The unsaved ``NeighbourhoodPage`` of ``team``, its dates counted from ``today``."""
    return NeighbourhoodPage(
        title=team.title,
        slug=team.slug,
        team_name=team.team_name,
        search_description=team.summary,
        intro=team.intro,
        postcode_areas=team.areas,
        contact_email=team.email,
        contact_note=team.note,
        officers=[
            {"type": "officer", "value": {"name": name, "role": role, "photo": None}}
            for name, role in team.officers
        ],
        priorities=[
            {
                "type": "priority",
                "value": {
                    "title": priority.title,
                    "description": priority.description,
                    "set_on": today - datetime.timedelta(days=priority.set_days_ago),
                    "review_on": today + datetime.timedelta(days=priority.review_in_days),
                },
            }
            for priority in team.priorities
        ],
        meetings=[
            {
                "type": "meeting",
                "value": {
                    "title": meeting.title,
                    "date": today + datetime.timedelta(days=meeting.in_days),
                    "start_time": meeting.start,
                    "end_time": meeting.end,
                    "place": meeting.place,
                    "address": meeting.address,
                },
            }
            for meeting in team.meetings
        ],
    )


def _tag_news(force, page, slugs):
    """Tag the force's demo news articles ``slugs`` to ``page`` (publishing each again)."""
    home = force.site.root_page
    tagged = 0
    for news in NewsPage.objects.descendant_of(home).filter(slug__in=slugs, live=True):
        if NewsNeighbourhood.objects.filter(news=news, neighbourhood=page).exists():
            continue
        news.neighbourhood_tags.add(NewsNeighbourhood(neighbourhood=page))
        news.save_revision().publish()
        tagged += 1
    return tagged


def _translate(page, team, today):
    translated = Page.objects.filter(
        translation_key=page.translation_key,
        locale__language_code=bilingual.WELSH,
        alias_of__isnull=True,
    )
    if translated.exists():
        return False
    bilingual.translate(page, neighbourhood_page(team, today))
    return True


def seed_neighbourhoods(force, today=None, stdout=None):
    """Add the demo teams of ``force`` under its /your-area/ page, once; return how many pages
    were new (Welsh translations included)."""
    teams = TEAMS.get(force.slug, [])
    index = NeighbourhoodIndexPage.objects.child_of(force.site.root_page).first()
    if not teams or index is None:
        return 0
    today = today or timezone.localdate()
    created = 0
    for team in teams:
        with transaction.atomic():
            page = NeighbourhoodPage.objects.child_of(index).filter(slug=team.slug).first()
            if page is None:
                page = index.add_child(instance=neighbourhood_page(team, today))
                page.save_revision().publish()
                created += 1
            _tag_news(force, page, team.news)
            if force.is_bilingual and team.slug in WELSH:
                created += _translate(page, WELSH[team.slug], today)
    if stdout is not None:
        stdout.write(f"{force.name}: {len(teams)} neighbourhoods ({created} new)\n")
    return created
