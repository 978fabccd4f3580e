"""Demo content for Thames Valley Police. Every incident here is fictional."""

from . import (
    BIKE_REGISTER,
    CRIMESTOPPERS,
    DAY_BEFORE,
    DOMESTIC_ABUSE_HELPLINE,
    IMMOBILISE,
    KARMA_NIRVANA,
    NEIGHBOURHOOD_WATCH,
    RURAL_CRIME_NETWORK,
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

NEWS = [
    Article(
        slug="free-bike-marking-oxford",
        title="Free bike marking in Oxford city centre",
        kind="news",
        days_ago=1,
        summary="Bring your bike to our stand on Broad Street to have it security marked and "
        "registered, free of charge.",
        body=[
            paragraph(
                "Bike theft is one of the most common crimes in Oxford. Every week officers "
                "recover bikes they cannot return, because there is nothing to show who owns "
                "them.",
                "Our neighbourhood team will be on Broad Street every Saturday in December, from "
                "10am to 2pm. We will mark your frame with a unique code and register it on a "
                "national database. It takes about 10 minutes.",
            ),
            heading("What to bring"),
            paragraph(
                bullets(
                    "Your bike.",
                    "Your phone or an email address, to finish the registration.",
                    "Proof of ownership if you have it, such as a receipt.",
                ),
            ),
            paragraph(
                "Cannot make it? You can register your bike yourself with "
                f"{link(*BIKE_REGISTER)}. Read our advice on "
                f"{link('keeping your bike safe', '/advice/cycle-theft/')}.",
            ),
        ],
    ),
    Article(
        slug="appeal-robbery-shop-slough",
        title="Appeal after a shop worker was threatened during a robbery in Slough",
        kind="appeal",
        days_ago=3,
        summary="A man threatened a shop worker with a hammer and stole cash and cigarettes.",
        body=[
            paragraph(
                f"At about 9:40pm on {DAY_BEFORE}, a man went into a convenience store on "
                "Farnham Road and threatened the worker behind the counter with a hammer. He "
                "took cash from the till and several packets of cigarettes, then left on foot "
                "towards the town centre.",
                "The worker was not physically hurt but was very shaken. Officers are "
                "supporting them.",
            ),
            paragraph(
                "The man is described as about 5ft 10in and of slim build. He wore a dark "
                "hooded top with the hood up, a face covering and grey tracksuit bottoms.",
            ),
            paragraph(
                "The investigating officer said: “This was a frightening experience for a "
                "worker who was simply doing their job. I would ask anyone who was in the area, "
                "or who has dashcam or doorbell footage, to get in touch.”",
            ),
            *witness_appeal("43260481173"),
        ],
    ),
    Article(
        slug="stolen-farm-machinery-recovered-banbury",
        title="Rural crime team recovers stolen farm machinery worth £80,000",
        kind="news",
        days_ago=6,
        summary="A tractor, a quad bike and power tools stolen from farms in north Oxfordshire "
        "have been found near Banbury.",
        body=[
            paragraph(
                "Officers from our rural crime taskforce found the machinery in a barn near "
                f"Banbury on {TWO_DAYS_BEFORE}, after a tip-off from a member of the public. "
                "The tractor had been fitted with false number plates.",
                "2 men, aged 41 and 29, were arrested on suspicion of theft and handling stolen "
                "goods. They have been released on bail.",
            ),
            paragraph(
                "A rural crime sergeant said: “Machinery theft can put a farm out of business. "
                "This result came from a call by someone who noticed something was not right. "
                "Please keep telling us.”",
            ),
            callout(
                "Mark your machinery, fit trackers and immobilisers, and join your local "
                f"Farm Watch. Read our {link('rural crime advice', '/advice/rural-crime/')}.",
                style="inset",
            ),
        ],
    ),
    Article(
        slug="collision-a34-abingdon",
        title="Witness appeal after a serious collision on the A34 near Abingdon",
        kind="appeal",
        days_ago=10,
        summary="A woman was seriously injured when her car collided with a lorry on the "
        "northbound A34.",
        body=[
            paragraph(
                f"The collision happened at about 5:25pm on {DAY_BEFORE}, on the northbound "
                "carriageway between the Milton Interchange and the Marcham Interchange. It "
                "involved a silver hatchback and a lorry.",
                "The driver of the car, a woman in her 50s, was taken to hospital with serious "
                "injuries. The lorry driver was not hurt. The road was closed for 6 hours while "
                "officers investigated.",
            ),
            paragraph(
                "Officers from our Roads Policing unit would like to hear from anyone who saw the "
                "collision, or the way either vehicle was being driven beforehand. Please check "
                "any dashcam footage.",
            ),
            *witness_appeal("43260455902"),
        ],
    ),
    Article(
        slug="car-key-burglaries-high-wycombe",
        title="4 charged after car key burglaries in High Wycombe",
        kind="news",
        days_ago=14,
        summary="The group broke into homes at night to steal car keys, then drove the cars away.",
        body=[
            paragraph(
                "4 men, aged between 19 and 26, have been charged with conspiracy to commit "
                "burglary. They will appear at Aylesbury Crown Court next month.",
                "The charges follow an investigation into 17 burglaries in High Wycombe, "
                "Marlow and Beaconsfield over the summer. In each one, the burglars took car "
                "keys from inside the front door, then drove off in the family car.",
            ),
            heading("Keep your keys safe"),
            paragraph(
                bullets(
                    "Keep keys out of sight and away from the front door and letterbox.",
                    "Lock doors and windows at night, even when you are at home.",
                    "Keep keyless fobs in a signal-blocking pouch.",
                ),
            ),
        ],
    ),
    Article(
        slug="puppies-stolen-aylesbury",
        title="Appeal after 3 puppies were stolen from a home in Aylesbury",
        kind="appeal",
        days_ago=20,
        summary="The 10-week-old cocker spaniel puppies were taken during a burglary while their "
        "owners were out.",
        body=[
            paragraph(
                "The burglary happened between 1pm and 4pm on "
                f"{DAY_BEFORE}, at a house in the Bedgrove area of Aylesbury. Entry was forced "
                "through a back door. The puppies were taken from a pen in the kitchen.",
                "The puppies are 2 golden and 1 black cocker spaniel. They are microchipped.",
            ),
            paragraph(
                "If you are offered a cocker spaniel puppy for sale, especially online and at "
                "short notice, please ask to see its microchip details and the mother. If "
                "something feels wrong, contact us.",
            ),
            *witness_appeal("43260402256"),
        ],
    ),
    Article(
        slug="courier-fraud-warning-maidenhead-windsor",
        title="Warning after courier fraud targets older people in Maidenhead and Windsor",
        kind="news",
        days_ago=27,
        summary="Fraudsters pretending to be police officers have persuaded people to hand over "
        "cash and bank cards.",
        body=[
            paragraph(
                "In the past fortnight we have had 9 reports of courier fraud in Maidenhead "
                "and Windsor. Victims, most of them in their 70s and 80s, lost more than "
                "£60,000 between them.",
                "The caller says they are a police officer investigating fraud at the victim's "
                "bank. They ask the victim to withdraw cash, or hand over their bank card, to a "
                "courier who comes to the door.",
            ),
            callout(
                "The police and your bank will never ask you to withdraw cash, hand over your "
                "card, or move money to keep it safe.",
                style="important",
                title="Hang up",
            ),
            paragraph(
                "If you get a call like this, hang up. Wait 5 minutes, or use a different phone, "
                "then call 101 or your bank. Please share this warning with older relatives and "
                "neighbours.",
            ),
            link_list("Find out more", TAKE_FIVE, VICTIM_SUPPORT),
        ],
    ),
]

RURAL_CRIME = AdvicePage(
    slug="rural-crime",
    title="Rural and farm crime",
    summary="How to protect farms, machinery, livestock and rural homes across Berkshire, "
    "Buckinghamshire and Oxfordshire.",
    body=[
        danger_callout("If a crime is happening now, such as hare coursing, call 999."),
        paragraph(
            "Rural crime includes the theft of machinery, fuel and livestock, fly-tipping, "
            "hare coursing, and attacks on livestock by dogs. Our rural crime taskforce works "
            "with farmers, landowners and gamekeepers across the Thames Valley.",
        ),
        heading("Protect your machinery and tools"),
        paragraph(
            bullets(
                "Fit trackers and immobilisers to tractors, quad bikes and trailers.",
                "Mark tools and machinery with your postcode, and photograph them.",
                "Keep keys locked away, never left in vehicles.",
                "Lock gates, and use CCTV or alarms on yards and outbuildings.",
            ),
        ),
        accordion(
            (
                "Livestock",
                "Sheep worrying and theft",
                [
                    "Count livestock regularly and report losses quickly.",
                    "If a dog is attacking livestock, call 999. If it has happened, call 101.",
                ],
            ),
            (
                "Hare coursing",
                "Report it as it happens",
                "Note vehicle registrations and descriptions if it is safe. Do not approach the "
                "people involved.",
            ),
            (
                "Fly-tipping",
                "Who to tell",
                "Report fly-tipping on public land to your local council. If you see it "
                "happening, note the vehicle and call 101.",
            ),
        ),
        link_list(
            "Get involved",
            RURAL_CRIME_NETWORK,
            NEIGHBOURHOOD_WATCH,
            IMMOBILISE,
            CRIMESTOPPERS,
        ),
        contact_details(
            "Rural crime taskforce",
            email="rural.crime@thames-valley.example.police.uk",
            opening_hours="Monday to Friday, 8am to 6pm. Always call 999 in an emergency.",
        ),
    ],
)

CYCLE_THEFT = AdvicePage(
    slug="cycle-theft",
    title="Keep your bike safe",
    summary="Lock it well, record it and register it, so it is harder to steal and easier to "
    "return.",
    body=[
        danger_callout("If you see someone stealing a bike, call 999."),
        paragraph(
            "Thousands of bikes are stolen in the Thames Valley each year, many in Oxford, "
            "Reading and Milton Keynes. Most are taken from outside homes, stations and "
            "colleges, often in less than a minute.",
        ),
        heading("Lock it well"),
        paragraph(
            bullets(
                "Use 2 good locks, ideally a D-lock and a chain, of different types.",
                "Lock the frame and both wheels to something fixed, like a cycle stand.",
                "Keep the lock off the ground so it is harder to break.",
                "Do not leave your bike in the same place every day.",
            ),
        ),
        heading("Record and register it"),
        paragraph(
            "Note your frame number: it is usually under the pedals. Take a photo of your bike, "
            f"and register it free with {link(*BIKE_REGISTER)}. Registered bikes can be "
            "returned to their owners when we find them.",
        ),
        callout(
            "Thinking of buying a second-hand bike? Ask for proof of ownership and check the "
            "frame number on a bike register first.",
            style="inset",
        ),
        link_list("Related", BIKE_REGISTER, IMMOBILISE, VICTIM_SUPPORT),
    ],
)

HONOUR_BASED_ABUSE = AdvicePage(
    slug="honour-based-abuse-and-forced-marriage",
    title="Honour-based abuse and forced marriage",
    summary="There is no honour in abuse. If you are being pressured or harmed to protect a "
    "family's reputation, we can help.",
    is_sensitive=True,
    body=[
        danger_callout(
            "If you cannot speak, call 999 from a mobile, listen, then press 55 when prompted."
        ),
        paragraph(
            "Honour-based abuse is a crime or incident committed to protect or defend the "
            "perceived honour of a family or community. It can include threats, violence, "
            "control, forced marriage and female genital mutilation (FGM). It can happen to "
            "anyone, of any gender, age or background.",
        ),
        paragraph(
            "Forcing someone to marry is a crime in England and Wales, including taking someone "
            "abroad to marry. A forced marriage protection order can stop it happening.",
        ),
        heading("If you are at risk of being taken abroad"),
        paragraph(
            numbered(
                "Tell someone you trust, such as a teacher, a doctor or a friend.",
                "If you are at an airport and in danger, tell airport staff or police.",
                "Keep a copy of your passport and an emergency number somewhere safe.",
            ),
        ),
        accordion(
            (
                "If you are worried about a friend",
                "Listen, and take it seriously",
                "Do not talk to their family, as this could put them at greater risk. Talk to "
                "us or to a specialist helpline.",
            ),
            (
                "If you work with young people",
                "Teachers, health workers and others",
                "Follow your safeguarding procedures, and speak to the person alone. Never use "
                "family members as interpreters.",
            ),
        ),
        link_list("Specialist support", KARMA_NIRVANA, DOMESTIC_ABUSE_HELPLINE, VICTIM_SUPPORT),
        contact_details("Karma Nirvana helpline", phone="0800 5999 247"),
    ],
)

ADVICE = [RURAL_CRIME, CYCLE_THEFT, HONOUR_BASED_ABUSE]
