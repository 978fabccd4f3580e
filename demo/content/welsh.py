"""Welsh translations of some national advice, as the national team would make them once.

Each page here is the Welsh version of a page in ``national``: the same blocks in the same
order, with the text in Welsh (``forces.national.bilingual.translate`` pairs them string by
string and records them as wagtail-localize translations). The rest of the library is left
untranslated, so the demo also shows a page falling back to English on a Welsh site.
Organisations keep their own names where they have no Welsh one; external links go where the
English ones do, links within the site to its Welsh pages.
"""

from . import (
    AdvicePage,
    accordion,
    bullets,
    callout,
    contact_details,
    heading,
    link,
    link_list,
    numbered,
    paragraph,
)
from .national import ROAD_SAFETY, SPIKING, Section

# Links within the site lead to its Welsh pages (wagtail-localize records them as overrides).
REPORT = "/cy/report/"

THINK = ("THINK!: diogelwch ar y ffyrdd", "https://www.think.gov.uk/")
HIGHWAY_CODE = ("Rheolau’r Ffordd Fawr", "https://www.gov.uk/guidance/the-highway-code")
BRAKE = ("Brake: yr elusen diogelwch ar y ffyrdd", "https://www.brake.org.uk/")
ROADPEACE = (
    "RoadPeace: cymorth i bobl sydd wedi cael profedigaeth neu anaf mewn gwrthdrawiadau ffordd",
    "https://www.roadpeace.org/",
)
VICTIM_SUPPORT = ("Cymorth i Ddioddefwyr", "https://www.victimsupport.org.uk/")
DRINKAWARE = ("Drinkaware: cadw’n ddiogel ar noson allan", "https://www.drinkaware.co.uk/")
NHS_111 = ("GIG 111 ar-lein", "https://111.nhs.uk/")


def emergency(extra=""):
    """The warning every national article opens with, in Welsh."""
    return callout(f"Os ydych mewn perygl uniongyrchol, ffoniwch 999. {extra}".strip())


def contact_police(title="Cysylltu â’r heddlu"):
    return contact_details(title, use_force_details=True)


STAY_SAFE_ON_ROADS = AdvicePage(
    slug="stay-safe-on-the-roads",
    title="Cadw’n ddiogel ar y ffyrdd",
    summary="Y 4 prif achos marwolaethau ar y ffyrdd, a sut i’ch cadw chi ac eraill yn ddiogel.",
    body=[
        emergency("Os ydych yn gweld gwrthdrawiad neu yrrwr sy’n peryglu bywydau, ffoniwch 999."),
        paragraph(
            "Mae’r rhan fwyaf o farwolaethau ac anafiadau difrifol ar y ffyrdd yn cael eu hachosi "
            "gan 4 peth: goryrru, yfed a gyrru neu yrru ar ôl cymryd cyffuriau, peidio â gwisgo "
            "gwregys diogelwch, a defnyddio ffôn wrth yrru.",
        ),
        accordion(
            (
                "Cyflymder",
                "Gyrrwch yn ôl yr amodau, nid y terfyn yn unig",
                "Po gyflymaf rydych yn mynd, y lleiaf o amser sydd gennych i stopio. Gallai "
                "goryrru olygu dirwy o £100 o leiaf a 3 phwynt cosb.",
            ),
            (
                "Alcohol a chyffuriau",
                "Dim diferyn cyn gyrru",
                "Does dim swm diogel o alcohol i’w yfed cyn gyrru. Mae gyrru ar ôl cymryd "
                "cyffuriau anghyfreithlon, neu rai meddyginiaethau presgripsiwn, hefyd yn drosedd. "
                "Gallech fod dros y terfyn o hyd y bore wedyn.",
            ),
            (
                "Gwregysau diogelwch",
                "Pob sedd, pob taith",
                "Rhaid i chi wisgo gwregys diogelwch os oes un wedi’i osod. Gyrwyr sy’n "
                "gyfrifol am sicrhau bod plant dan 14 oed wedi’u diogelu’n iawn.",
            ),
            (
                "Ffonau symudol",
                "Rhowch y ffôn o’r neilltu",
                "Mae’n anghyfreithlon dal a defnyddio ffôn wrth yrru, hyd yn oed pan fyddwch wedi "
                "stopio mewn traffig. Gallech gael 6 phwynt cosb a dirwy o £200.",
            ),
        ),
        heading("Gofalu am eich gilydd"),
        paragraph(
            bullets(
                "Rhowch o leiaf 1.5 metr o le i bobl ar feic pan fyddwch yn eu pasio.",
                "Rhowch o leiaf 2 fetr i bobl sy’n cerdded ar y ffordd ac i farchogion, a "
                "phasiwch yn araf.",
                "Ar gyffyrdd, ildiwch i bobl sy’n croesi’r ffordd rydych yn troi iddi.",
                "Cymerwch seibiant bob 2 awr ar deithiau hir.",
            ),
        ),
        link_list("Rhagor o gyngor", THINK, HIGHWAY_CODE, BRAKE),
    ],
)

REPORT_DANGEROUS_DRIVING = AdvicePage(
    slug="report-dangerous-driving-and-road-incidents",
    title="Rhoi gwybod am yrru peryglus a digwyddiadau ar y ffordd",
    summary=(
        "Beth i’w wneud ar ôl gwrthdrawiad, a sut i roi gwybod am yrru peryglus ac anfon lluniau."
    ),
    body=[
        emergency(
            "Ffoniwch 999 os oes unrhyw un wedi’i anafu, os yw’r ffordd wedi’i rhwystro, neu os "
            "gallai gyrrwr fod wedi meddwi."
        ),
        heading("Os ydych mewn gwrthdrawiad"),
        paragraph(
            numbered(
                "Stopiwch mewn lle diogel a throwch eich goleuadau perygl ymlaen.",
                "Os oes unrhyw un wedi’i anafu neu os yw’r ffordd wedi’i rhwystro, ffoniwch 999.",
                "Rhowch eich enw, eich cyfeiriad a rhif cofrestru’r cerbyd i unrhyw un sydd â "
                "rheswm da dros ofyn amdanynt.",
                "Os cafodd unrhyw un ei anafu, dangoswch eich tystysgrif yswiriant.",
            ),
        ),
        callout(
            "Os na fyddwch yn cyfnewid manylion yn y fan a’r lle, neu os oes rhywun wedi’i anafu "
            "ac na allwch ddangos eich yswiriant, rhaid i chi roi gwybod i’r heddlu am y "
            "gwrthdrawiad cyn gynted â phosibl, ac o fewn 24 awr.",
            style="important",
            title="Rhaid rhoi gwybod am rai gwrthdrawiadau",
        ),
        heading("Rhoi gwybod am yrru peryglus neu ddiofal"),
        paragraph(
            f"Os nad yw’n digwydd nawr, ffoniwch 101 neu {link('rhowch wybod ar-lein', REPORT)}. "
            "Rhowch y rhif cofrestru, ble a phryd y digwyddodd, a disgrifiad o’r cerbyd a’r "
            "gyrrwr.",
        ),
        heading("Lluniau camera dashfwrdd a chamera helmed"),
        paragraph(
            "Mae llawer o heddluoedd yn gadael i chi anfon lluniau camera dashfwrdd, camera helmed "
            "neu ffôn ar-lein. Edrychwch ar wefan eich heddlu lleol. Cadwch y ffeil wreiddiol a "
            "pheidiwch â’i golygu. Efallai y gofynnir i chi roi datganiad tyst.",
        ),
        accordion(
            (
                "Os ydych yn taro anifail",
                "Pryd mae’n rhaid i chi stopio a rhoi gwybod",
                "Os ydych yn taro ci, ceffyl, buwch, mochyn, gafr, dafad, asyn neu ful, rhaid i "
                "chi stopio. Os na allwch roi eich manylion i’r perchennog, rhowch wybod i’r "
                "heddlu. Os oes carw neu anifail mawr arall wedi’i anafu ar y ffordd, ffoniwch "
                "999.",
            ),
            (
                "Os oes rhywun wedi cael ei ladd neu ei anafu’n ddifrifol",
                "Cymorth i deuluoedd a goroeswyr",
                "Fel arfer, bydd swyddog cyswllt teulu sydd wedi cael hyfforddiant arbennig yn "
                "cefnogi teuluoedd pobl sy’n cael eu lladd mewn gwrthdrawiadau ffordd. Mae "
                "elusennau fel Brake a RoadPeace hefyd yn cynnig cymorth am ddim.",
            ),
        ),
        link_list("Cael cymorth", BRAKE, ROADPEACE, VICTIM_SUPPORT),
        contact_police(),
    ],
)

WELSH_ROAD_SAFETY = Section(
    slug=ROAD_SAFETY.slug,
    title="Diogelwch ar y ffyrdd",
    summary=(
        "Sut i gadw’n ddiogel ar y ffyrdd, a sut i roi gwybod am wrthdrawiad neu yrru peryglus."
    ),
    intro="<p>Sut i’ch cadw chi ac eraill yn ddiogel ar y ffyrdd, a beth i’w wneud ar ôl "
    "gwrthdrawiad.</p>",
    articles=[STAY_SAFE_ON_ROADS, REPORT_DANGEROUS_DRIVING],
)

WHAT_IS_SPIKING = AdvicePage(
    slug="what-spiking-is-and-the-signs",
    title="Beth yw sbeicio a’r arwyddion",
    summary="Beth yw sbeicio, yr arwyddion i chwilio amdanynt, a sut i ofalu am eich gilydd.",
    is_sensitive=True,
    body=[
        emergency("Os oes rhywun yn sâl iawn neu’n anymwybodol, ffoniwch 999 i gael ambiwlans."),
        paragraph(
            "Sbeicio yw pan fydd rhywun yn rhoi alcohol neu gyffuriau yn niod neu yng nghorff "
            "rhywun arall heb yn wybod iddynt a heb eu caniatâd. Gellir ei wneud gyda nodwydd "
            "hefyd. Mae sbeicio yn drosedd, a dyw hi byth yn fai ar y dioddefwr.",
        ),
        heading("Arwyddion sbeicio"),
        paragraph(
            bullets(
                "teimlo’n llawer mwy meddw nag y dylech, o ystyried beth rydych wedi’i yfed",
                "dryswch, neu golli eich cydbwysedd",
                "teimlo’n sâl, yn gysglyd neu’n anhwylus iawn",
                "problemau gyda’ch golwg",
                "methu cofio beth ddigwyddodd",
                "poen siarp, neu farc ar eich croen, os defnyddiwyd nodwydd",
            ),
        ),
        heading("Gofalu am eich gilydd"),
        paragraph(
            bullets(
                "Ewch allan gyda phobl rydych yn ymddiried ynddyn nhw, a chytunwch sut y bydd pawb "
                "yn cyrraedd adref.",
                "Cadwch eich diod gyda chi, a pheidiwch â derbyn diodydd gan bobl nad ydych yn eu "
                "hadnabod.",
                "Os yw diod yn blasu neu’n edrych yn rhyfedd, peidiwch â’i hyfed a dywedwch wrth y "
                "staff.",
                "Peidiwch â gadael ffrind sy’n ymddangos yn sâl ar ei ben ei hun, nac gyda rhywun "
                "nad ydych yn ei adnabod.",
            ),
        ),
        callout(
            "Mae staff mewn llawer o dafarndai, clybiau a lleoliadau wedi cael hyfforddiant i "
            "helpu. Dywedwch wrthynt os ydych chi, neu rywun rydych gyda nhw, wedi cael eich "
            "sbeicio efallai.",
            style="inset",
        ),
        link_list("Rhagor o gyngor", DRINKAWARE, NHS_111, VICTIM_SUPPORT),
    ],
)

WELSH_SPIKING = Section(
    slug=SPIKING.slug,
    title="Sbeicio",
    summary="Beth yw sbeicio, yr arwyddion, a beth i’w wneud os ydych yn meddwl eich bod wedi "
    "cael eich sbeicio.",
    intro="<p>Mae sbeicio yn drosedd. Os ydych yn meddwl eich bod chi neu ffrind wedi cael eich "
    "sbeicio, mynnwch help a rhowch wybod cyn gynted ag y gallwch.</p>",
    articles=[WHAT_IS_SPIKING],
    is_sensitive=True,
)

# The national sections translated into Welsh, with the articles in them that are.
SECTIONS = [WELSH_ROAD_SAFETY, WELSH_SPIKING]
ADVICE = [article for section in SECTIONS for article in section.articles]
# The national journeys translated into Welsh (by slug); their Welsh text is in locale/cy.
JOURNEYS = ["road-traffic-incident"]
