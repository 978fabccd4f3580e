"""Demo content for Hampshire and Isle of Wight Constabulary. Every incident here is fictional."""

from . import (
    CHILDLINE,
    CRIMESTOPPERS,
    DAY_BEFORE,
    FEARLESS,
    IMMOBILISE,
    MODERN_SLAVERY_HELPLINE,
    NSPCC,
    RAPE_CRISIS,
    SAMARITANS,
    TAKE_FIVE,
    TWO_DAYS_BEFORE,
    VICTIM_SUPPORT,
    AdvicePage,
    Article,
    accordion,
    bullets,
    callout,
    contact_details,
    danger_callout,
    heading,
    link,
    link_list,
    numbered,
    paragraph,
    witness_appeal,
)

RNLI = ("RNLI: staying safe at sea and on the coast", "https://rnli.org/")

NEWS = [
    Article(
        slug="christmas-nights-out-southampton-portsmouth",
        title="Extra patrols for Christmas nights out in Southampton and Portsmouth",
        kind="news",
        days_ago=1,
        summary="More officers, street pastors and door staff will work together on Friday and "
        "Saturday nights through December.",
        body=[
            paragraph(
                "From this weekend, extra officers will patrol Southampton's Bedford Place and "
                "Above Bar, and Portsmouth's Guildhall Walk and Gunwharf Quays, from 8pm until "
                "the last venues close.",
                "They will work with licensed venues, street pastors and taxi marshals to help "
                "people get home safely, and to deal quickly with violence and harassment.",
            ),
            heading("Enjoy your night"),
            paragraph(
                bullets(
                    "Plan how you will get home before you go out.",
                    "Stay with your friends, and keep your phone charged.",
                    "Ask bar staff for 'Angela' if you feel unsafe.",
                    "Look out for anyone who seems very drunk or vulnerable.",
                ),
            ),
            callout("If someone is in danger, call 999.", style="inset"),
        ],
    ),
    Article(
        slug="outboard-engines-stolen-cowes",
        title="Appeal after outboard engines stolen from boats in Cowes",
        kind="appeal",
        days_ago=4,
        summary="Thieves took 5 outboard engines from boats moored on the River Medina over one "
        "night.",
        body=[
            paragraph(
                f"The thefts happened overnight between {TWO_DAYS_BEFORE} and {DAY_BEFORE}. "
                "Locks were cut and the engines were taken from small boats and tenders on "
                "pontoons on the Cowes side of the river. We think the thieves used a boat to "
                "get to and from the pontoons.",
                "The engines are worth about £18,000 in total. 3 of them are security marked.",
            ),
            paragraph(
                "Were you on or near the water that night? Did you see a boat moving without "
                "lights, or a van being loaded near the river? Have you been offered an outboard "
                "engine at a low price?",
            ),
            *witness_appeal("44260513347"),
        ],
    ),
    Article(
        slug="slow-down-new-forest-animals",
        title="Drivers urged to slow down for animals on New Forest roads",
        kind="news",
        days_ago=8,
        summary="Ponies, cattle and donkeys have been killed or injured on the forest's roads "
        "as the evenings have grown darker.",
        body=[
            paragraph(
                "Commoners' animals roam freely across the New Forest and often stand on or "
                "beside the road. Dark-coloured ponies and cattle are very hard to see at night.",
                "Our rural team is running speed checks on unfenced roads around Lyndhurst, "
                "Brockenhurst and Beaulieu this winter, with the forest's agisters and "
                "verderers.",
            ),
            heading("When you drive in the forest"),
            paragraph(
                bullets(
                    "Keep to 40mph or less on unfenced forest roads, and slower at night.",
                    "Dip your headlights for animals as well as for other drivers.",
                    "If one animal crosses, expect more to follow.",
                    "Never feed the animals. It draws them to the roadside.",
                ),
            ),
            callout(
                "If you hit an animal, stop when it is safe and call 999, even if the animal "
                "walks away. Injured animals need help quickly.",
            ),
        ],
    ),
    Article(
        slug="assault-guildhall-walk-portsmouth",
        title="Witness appeal after a man was assaulted in Portsmouth city centre",
        kind="appeal",
        days_ago=12,
        summary="A 23-year-old man suffered a broken jaw in an assault outside a bar in "
        "Guildhall Walk.",
        body=[
            paragraph(
                f"At about 1:30am on {DAY_BEFORE}, a man was punched several times outside a "
                "bar in Guildhall Walk. He fell to the ground and was kicked. The man, who is "
                "23 and from Southsea, was taken to hospital with a broken jaw.",
                "The man who attacked him left towards Commercial Road. He is described as in "
                "his 20s, with short dark hair, and wore a white shirt and dark trousers.",
            ),
            paragraph(
                "The street was busy at the time, and we think people filmed what happened. If "
                "you have footage, please do not share it on social media. Send it to us "
                "instead.",
            ),
            *witness_appeal("44260498812"),
        ],
    ),
    Article(
        slug="county-lines-operation-basingstoke",
        title="Teenagers safeguarded and drugs seized in county lines operation in Basingstoke",
        kind="news",
        days_ago=17,
        summary="Officers found 2 boys from London being used to sell drugs from a flat in the "
        "town.",
        body=[
            paragraph(
                "Officers searched addresses in Basingstoke as part of a week of action against "
                "county lines drug dealing. They found 2 boys, aged 15 and 16, who had been "
                "reported missing from their homes in London.",
                "The boys are being supported by social workers. Officers seized crack cocaine, "
                "heroin, cash and 4 phones. A 24-year-old man has been charged with drug "
                "supply and with offences under the Modern Slavery Act.",
            ),
            paragraph(
                "A detective inspector said: “These boys were victims, exploited by adults who "
                "use children to take the risks. We will keep pursuing the people who run these "
                "lines, and keep safeguarding the children caught up in them.”",
            ),
            paragraph(
                "Read our advice on "
                f"{link('spotting the signs of county lines', '/advice/county-lines/')}.",
            ),
        ],
    ),
    Article(
        slug="beach-huts-damaged-ryde",
        title="Beach huts damaged on Ryde seafront: can you help?",
        kind="appeal",
        days_ago=23,
        summary="12 beach huts were broken into and damaged overnight on the eastern seafront "
        "in Ryde.",
        body=[
            paragraph(
                "Doors were forced and windows smashed on 12 beach huts overnight on "
                f"{DAY_BEFORE}. Some were sprayed with graffiti, and a barbecue and deckchairs "
                "were thrown onto the beach.",
                "Beach hut owners have told us how upsetting this has been. Many of the huts have "
                "been in families for years.",
            ),
            paragraph(
                "If you were on the seafront that night, or have heard people talking about "
                "what happened, please get in touch. You can tell us anonymously.",
            ),
            *witness_appeal("44260467720"),
        ],
    ),
    Article(
        slug="investment-fraud-warning-winchester-eastleigh",
        title="Investment fraud warning after residents lose £250,000 to fake adverts",
        kind="news",
        days_ago=29,
        summary="People in Winchester and Eastleigh were tricked by online adverts using "
        "well-known faces without their permission.",
        body=[
            paragraph(
                "In the last 2 months, 7 people in Winchester and Eastleigh have reported losing "
                "money to fake investment schemes. Between them they lost more than £250,000.",
                "Each saw an advert on social media that seemed to be backed by a celebrity. They "
                "were then called by a friendly 'account manager', who showed them a website "
                "where their investment appeared to grow, and persuaded them to invest more.",
            ),
            callout(
                "Check that a firm is authorised on the Financial Conduct Authority register "
                "before you invest. If it sounds too good to be true, it probably is.",
                style="important",
                title="Before you invest",
            ),
            paragraph(
                "If you think you have been scammed, call your bank straight away, then report "
                "it to Report Fraud on 0300 123 2040.",
            ),
            link_list("Find out more", TAKE_FIVE, VICTIM_SUPPORT),
        ],
    ),
]

MARINE_CRIME = AdvicePage(
    slug="boat-and-marine-crime",
    title="Protect your boat and outboard engine",
    summary="How to keep boats, engines and equipment safe on the Solent, the Isle of Wight "
    "and Hampshire's rivers and harbours.",
    body=[
        danger_callout(
            "If someone is in danger at sea or on the coast, call 999 and ask for the Coastguard."
        ),
        paragraph(
            "Outboard engines, tenders, electronics and fuel are stolen from harbours, marinas "
            "and moorings. Most thefts happen at night and out of season, when fewer people are "
            "around.",
        ),
        heading("Simple steps"),
        paragraph(
            bullets(
                "Fit a good outboard lock, and take small engines home when you can.",
                "Take electronics, keys and kill cords off the boat.",
                "Mark your engine and equipment with your postcode, and photograph them.",
                "Note serial numbers, and register them.",
            ),
        ),
        accordion(
            (
                "Trailers and boats on land",
                "Driveways and dinghy parks",
                "Use a wheel clamp and a hitch lock on trailers. Chain dinghies to a fixed point.",
            ),
            (
                "Buying second-hand",
                "Check before you pay",
                "Be wary of cheap engines sold for cash with no paperwork. Ask for the serial "
                "number and check it has not been reported stolen.",
            ),
            (
                "Spotting suspicious activity",
                "Be our eyes on the water",
                "Look out for boats moving at night without lights, or people loading "
                "equipment into vans near the water. Call 101, or 999 if it is happening now.",
            ),
        ),
        link_list("Related", IMMOBILISE, CRIMESTOPPERS, RNLI),
        contact_details(
            "Marine unit",
            email="marine.unit@hampshire.example.police.uk",
            opening_hours="We reply to emails within 3 working days",
        ),
    ],
)

COUNTY_LINES = AdvicePage(
    slug="county-lines",
    title="County lines: spotting the signs of exploitation",
    summary="Criminal gangs use children and vulnerable adults to move and sell drugs. Knowing "
    "the signs can help us protect them.",
    body=[
        danger_callout("If a child is in danger now, call 999."),
        paragraph(
            "County lines is when gangs from cities move drugs into towns and coastal areas, "
            "using a dedicated phone line. They exploit children and vulnerable adults to carry "
            "and sell the drugs, often with violence, threats, debt or gifts.",
        ),
        paragraph(
            "Children who are exploited are victims, even if they seem to be taking part "
            "willingly.",
        ),
        heading("Signs a young person may be involved"),
        paragraph(
            bullets(
                "Going missing, or travelling to places they have no reason to go.",
                "New phones, clothes or money they cannot explain.",
                "Older friends, or a new relationship with someone older.",
                "Getting lots of calls or messages, and seeming anxious when they do.",
                "Injuries they will not talk about, or being withdrawn or secretive.",
            ),
        ),
        heading("Cuckooing"),
        paragraph(
            "Gangs sometimes take over the home of a vulnerable adult to deal drugs from it. "
            "Signs include new people coming and going at all hours, more cars or taxis "
            "outside, and a neighbour you no longer see.",
        ),
        link_list(
            "Get help or tell someone",
            FEARLESS,
            NSPCC,
            CHILDLINE,
            MODERN_SLAVERY_HELPLINE,
            CRIMESTOPPERS,
        ),
        contact_details("Contact us"),
    ],
)

SEXUAL_ASSAULT = AdvicePage(
    slug="rape-and-sexual-assault",
    title="Rape and sexual assault: getting help",
    summary="If you have been raped or sexually assaulted, it was not your fault. You can get "
    "help whether or not you report it to us.",
    is_sensitive=True,
    body=[
        danger_callout(
            "If you cannot speak, call 999 from a mobile, listen, then press 55 when prompted."
        ),
        paragraph(
            "Whatever happened, however long ago, and whoever did it, it was not your fault. "
            "You can choose what happens next.",
        ),
        heading("If it has just happened"),
        paragraph(
            numbered(
                "Get to a safe place.",
                "Call 999, or tell someone you trust.",
                "If you can, try not to wash, change clothes, eat or drink until you have spoken "
                "to us or to a sexual assault referral centre. This helps keep evidence. It is "
                "still your choice.",
            ),
        ),
        accordion(
            (
                "Sexual assault referral centres (SARCs)",
                "Medical care, with or without the police",
                [
                    "A SARC gives free, confidential medical care and emotional support.",
                    "You can choose to have a forensic examination and decide later whether to "
                    "report to us.",
                ],
            ),
            (
                "Reporting to us",
                "What happens when you report",
                [
                    "You can report online, by calling 101 or 999, or through a support worker.",
                    "A specially trained officer will support you, and you can ask for a male "
                    "or female officer.",
                ],
            ),
            (
                "If it happened a long time ago",
                "It is never too late",
                "You can report at any time. We will listen and investigate.",
            ),
        ),
        link_list("Support services", RAPE_CRISIS, VICTIM_SUPPORT, SAMARITANS),
        contact_details(
            "Rape Crisis 24/7 support line",
            phone="0808 500 2222",
            opening_hours="Free and open 24 hours a day, every day",
        ),
    ],
)

ADVICE = [MARINE_CRIME, COUNTY_LINES, SEXUAL_ASSAULT]
