"""Demo content for the Metropolitan Police Service. Every incident here is fictional."""

from . import (
    BIKE_REGISTER,
    CHILDLINE,
    DAY_BEFORE,
    DOMESTIC_ABUSE_HELPLINE,
    FEARLESS,
    IMMOBILISE,
    POLICE_UK,
    RAPE_CRISIS,
    STALKING_HELPLINE,
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
        slug="extra-patrols-west-end-christmas",
        title="Extra patrols in the West End for the Christmas shopping season",
        kind="news",
        days_ago=1,
        summary="More officers will be on foot around Oxford Street, Regent Street and Covent "
        "Garden every day until the new year.",
        body=[
            paragraph(
                "From this week, teams of uniformed and plain-clothes officers will patrol the "
                "busiest shopping streets in the West End. They will be looking out for "
                "pickpockets, phone thieves and shoplifters, and will be on hand to give advice.",
                "Thefts from people in Westminster usually peak in December. Most happen in "
                "crowds, on escalators and at busy crossings, when people are distracted.",
            ),
            heading("Keep your things safe"),
            paragraph(
                bullets(
                    "Keep your phone in a front pocket or a zipped bag, not a back pocket.",
                    "Step back from the kerb before you use your phone.",
                    "Keep your bag closed and in front of you in crowds.",
                    "Use contactless where you can, and cover your PIN.",
                ),
                "Read our advice on how to "
                f"{link('keep your phone safe from snatch thieves', '/advice/phone-snatching/')}.",
            ),
            callout(
                "If you see a theft happening, call 999. Do not chase the thief.",
                style="inset",
            ),
        ],
    ),
    Article(
        slug="appeal-witnesses-lewisham-high-street",
        title="Appeal for witnesses after a man was stabbed in Lewisham",
        kind="appeal",
        days_ago=2,
        summary="Detectives want to hear from anyone who was on Lewisham High Street on the "
        f"evening of {DAY_BEFORE}.",
        body=[
            paragraph(
                f"Officers were called at about 10:15pm on {DAY_BEFORE} to reports that a man "
                "had been injured on Lewisham High Street, near the shopping centre.",
                "Paramedics from London Ambulance Service treated a 19-year-old man for stab "
                "wounds. He was taken to hospital, where his condition is serious but stable.",
                "A crime scene was in place overnight and has now been lifted. No one has been "
                "arrested.",
            ),
            paragraph(
                "The detective leading the investigation said: “The High Street was busy at "
                "that time. If you saw what happened, or have dashcam, doorbell or phone footage "
                "from between 10pm and 10:30pm, please get in touch. Even a small detail could "
                "help.”",
            ),
            *witness_appeal("CAD 7312"),
        ],
    ),
    Article(
        slug="phone-snatching-operation-camden-westminster",
        title="40 arrests in operation against phone snatching",
        kind="news",
        days_ago=5,
        summary="Officers recovered more than 300 stolen phones in a 2-week operation in Camden "
        "and Westminster.",
        body=[
            paragraph(
                "The operation used plain-clothes officers, CCTV and officers on e-bikes to "
                "target thieves who snatch phones from people's hands, often from a bike or "
                "moped.",
                "40 people were arrested for theft, robbery and handling stolen goods, and 22 "
                "have been charged. Officers also seized 15 e-bikes and 6 mopeds.",
            ),
            paragraph(
                "The chief inspector in charge said: “Phone snatching is fast and frightening, "
                "and it is often linked to organised crime. This operation shows what we can do "
                "with information from the public. We will keep going.”",
            ),
            heading("Getting your phone back"),
            paragraph(
                "We are returning the recovered phones to their owners. If your phone was "
                "stolen in London recently, check that your report includes its IMEI number. "
                "You can find it on the box, in your phone's settings, or by asking your "
                "network.",
            ),
            callout(
                "If your phone has been stolen, ask your network to block it, then "
                f"{link('report it online', '/report/')}.",
                style="inset",
            ),
        ],
    ),
    Article(
        slug="stolen-bikes-recovered-hackney",
        title="Do you own one of these bikes? 64 stolen bicycles recovered in Hackney",
        kind="appeal",
        days_ago=9,
        summary="Officers found the bikes in a lock-up garage and want to return them to their "
        "owners.",
        body=[
            paragraph(
                "Officers found 64 bicycles, most of them road bikes and electric bikes, when "
                f"they searched a lock-up garage in Hackney on {TWO_DAYS_BEFORE}.",
                "A 34-year-old man was arrested on suspicion of handling stolen goods. He has "
                "been released on bail while our enquiries continue.",
            ),
            heading("How to claim a bike"),
            paragraph(
                numbered(
                    "Find your crime reference number, if you reported the theft.",
                    "Gather proof the bike is yours: the frame number, a receipt, or a photo of "
                    "you with the bike.",
                    "Email us with your proof and a description of the bike.",
                ),
            ),
            contact_details(
                "Recovered bikes team",
                email="recovered.bikes@met.example.police.uk",
                opening_hours="We reply within 5 working days",
                use_force_details=False,
            ),
            paragraph(
                "Most of these bikes cannot be traced to an owner. Register your bike free with "
                f"{link(*BIKE_REGISTER)} so it can be returned if it is ever found.",
            ),
        ],
    ),
    Article(
        slug="motorcyclist-injured-uxbridge-road-ealing",
        title="Witness appeal after a motorcyclist was seriously injured in Ealing",
        kind="appeal",
        days_ago=13,
        summary="A motorcyclist is in hospital after a collision with a car on the Uxbridge Road.",
        body=[
            paragraph(
                f"Officers and paramedics were called at about 7:50am on {DAY_BEFORE} to a "
                "collision between a motorcycle and a car on the Uxbridge Road, near Ealing "
                "Broadway.",
                "The motorcyclist, a man in his 40s, was taken to a major trauma centre. His "
                "injuries are described as life-changing. The driver of the car stopped at the "
                "scene and is helping officers with their enquiries.",
            ),
            paragraph(
                "Officers from the Roads and Transport Policing Command want to speak to anyone "
                "who saw the collision, or who has dashcam footage of the motorcycle or the car "
                "in the minutes before it.",
            ),
            *witness_appeal("CAD 1908"),
        ],
    ),
    Article(
        slug="knives-handed-in-surrender-bins",
        title="More than 200 knives handed in at weapons surrender bins",
        kind="news",
        days_ago=18,
        summary="Knives and other weapons were left anonymously in surrender bins across north "
        "and east London over the past month.",
        body=[
            paragraph(
                "The bins, run with local councils and community groups, let people get rid of "
                "a weapon safely without giving their name. Officers empty them every week and "
                "every weapon is destroyed.",
                "This month's collection included kitchen knives, machetes, a sword and 3 "
                "imitation firearms.",
            ),
            paragraph(
                "A neighbourhood sergeant said: “Every knife in a bin is one less on our "
                "streets. We also know many young people carry a knife because they are "
                "frightened. If that is you, talk to someone. There is help.”",
            ),
            heading("If you are worried about a young person"),
            paragraph(
                "Signs can include a change in friends, staying out late, unexplained money or "
                "new clothes, and missing kitchen knives. Talk to them calmly, and speak to their "
                "school or to us on 101.",
            ),
            link_list("Get help", FEARLESS, CHILDLINE, VICTIM_SUPPORT),
        ],
    ),
    Article(
        slug="drop-in-sessions-tower-hamlets",
        title="Meet your local officers: drop-in sessions in Tower Hamlets",
        kind="news",
        days_ago=24,
        summary="Safer neighbourhood teams are holding weekly drop-in sessions at libraries and "
        "community centres across the borough.",
        body=[
            paragraph(
                "Come and talk to us about what matters in your area, whether that is "
                "antisocial behaviour, speeding, drug dealing or anything else. You do not need "
                "to book.",
            ),
            heading("Where and when"),
            paragraph(
                bullets(
                    "Whitechapel library: Tuesdays, 4pm to 6pm.",
                    "Bow community centre: Thursdays, 10am to midday.",
                    "Canary Wharf library: Saturdays, 11am to 1pm.",
                ),
            ),
            paragraph(
                "Sessions run until the end of March. If you cannot get to one, you can find "
                "your local team and their latest priorities on police.uk.",
            ),
            link_list("Find out more", POLICE_UK),
        ],
    ),
    Article(
        slug="distraction-burglaries-bromley",
        title="Appeal after older residents targeted by distraction burglars in Bromley",
        kind="appeal",
        days_ago=31,
        summary="Two men pretending to be from a water company have targeted people in their "
        "80s and 90s in Orpington and Beckenham.",
        body=[
            paragraph(
                "Over the past 3 weeks we have had 5 reports of men calling at the homes of "
                "older people, saying they need to check the water supply. While one keeps the "
                "resident talking, the other searches the home for cash and jewellery.",
                "Both men are described as in their 30s. They wore high-visibility jackets and "
                "lanyards, and spoke confidently about a burst pipe nearby.",
            ),
            heading("Protect older relatives and neighbours"),
            paragraph(
                bullets(
                    "Genuine callers will wait outside while you check who they are.",
                    "Call the company on the number on your bill, not a number they give you.",
                    "Ask your water and energy suppliers about a password scheme.",
                    "If you are unsure, do not open the door.",
                ),
            ),
            *witness_appeal("CAD 5561"),
        ],
    ),
]

PHONE_SNATCHING = AdvicePage(
    slug="phone-snatching",
    title="Keep your phone safe from snatch thieves",
    summary="How phone snatching happens in London, how to avoid it, and what to do if it "
    "happens to you.",
    body=[
        danger_callout("Do not chase a thief or try to get your phone back yourself."),
        paragraph(
            "Phone thieves often ride bikes, e-bikes or mopeds and take phones from people's "
            "hands as they pass. It takes seconds. Thieves look for people who are distracted: "
            "on a call, reading a map or filming.",
        ),
        heading("Habits that help"),
        paragraph(
            bullets(
                "Look up and around you before you take out your phone.",
                "Step back from the kerb, or into a shop doorway, to use it.",
                "Be extra careful outside stations and in busy tourist areas.",
                "Use headphones for calls, and keep your phone out of sight.",
            ),
        ),
        accordion(
            (
                "Before it happens",
                "A few minutes now makes recovery more likely",
                [
                    "Write down your phone's IMEI number. Dial *#06# to see it.",
                    "Turn on your phone's 'find my device' feature and a screen lock.",
                    f"Register your phone with {link(*IMMOBILISE)}.",
                ],
            ),
            (
                "If your phone is snatched",
                "What to do straight away",
                numbered(
                    "Get to a safe place. Do not chase the thief.",
                    "Use another phone to call your network and ask them to block the phone.",
                    "Report it to us online or on 101, with the IMEI number.",
                ),
            ),
            (
                "Protect your accounts",
                "Your phone may give access to your money",
                "Change the passwords for your email, banking and social media from another "
                "device. Tell your bank if your banking apps were on the phone.",
            ),
        ),
        link_list("Related", IMMOBILISE, VICTIM_SUPPORT),
    ],
)

STALKING = AdvicePage(
    slug="stalking-support-in-london",
    title="Stalking support in London",
    summary="Stalking is a crime. If someone's attention is making you feel scared or unsafe, "
    "you do not have to put up with it.",
    is_sensitive=True,
    body=[
        danger_callout(
            "If you cannot speak, call 999 from a mobile, listen, then press 55 when prompted."
        ),
        paragraph(
            "Stalking is a pattern of behaviour that is fixated, obsessive, unwanted and "
            "repeated. The person may be an ex-partner, someone you know, or a stranger. It "
            "can happen in person, online, or both.",
        ),
        heading("Signs of stalking"),
        paragraph(
            bullets(
                "Repeated calls, messages or gifts you do not want.",
                "Turning up at your home, work or places you go.",
                "Watching you, or tracking your phone or car.",
                "Contacting your friends, family or employer about you.",
                "Threats, or posting about you online.",
            ),
        ),
        heading("Keep a record"),
        paragraph(
            "Keep a diary of every incident: what happened, when, where and who saw it. Save "
            "messages and screenshots. Do not reply to the person. A record helps us act, "
            "including applying to a court for a stalking protection order.",
        ),
        accordion(
            (
                "Staying safer online",
                [
                    "Check the privacy settings on your social media accounts.",
                    "Turn off location sharing, and check your phone for apps you do not "
                    "recognise.",
                ],
            ),
            (
                "Staying safer at home and when out",
                "Tell people you trust what is happening. Vary your routes where you can, and "
                "keep your phone charged.",
            ),
        ),
        link_list("Support services", STALKING_HELPLINE, DOMESTIC_ABUSE_HELPLINE, VICTIM_SUPPORT),
        contact_details("National Stalking Helpline", phone="0808 802 0300"),
    ],
)

SAFER_NIGHTS_OUT = AdvicePage(
    slug="safer-nights-out",
    title="Safer nights out in London",
    summary="How to look after yourself and your friends on a night out, and where to get help.",
    body=[
        danger_callout("If a friend is very unwell or will not wake up, call 999."),
        paragraph(
            "Most nights out are fun and safe. Plan how you will get home, stay with your "
            "friends, and know who to ask for help.",
        ),
        heading("Ask for Angela"),
        paragraph(
            "If you feel unsafe, vulnerable or threatened in a bar or club, ask staff for "
            "'Angela'. They will help you discreetly, for example by calling you a taxi or "
            "helping you leave.",
        ),
        accordion(
            (
                "If you think a drink has been spiked",
                "Act quickly",
                numbered(
                    "Tell a friend and a member of staff straight away.",
                    "Stay with someone you trust and get to a safe place.",
                    "Report it to us. We can test for drugs, but only for a short time.",
                ),
            ),
            (
                "Getting home",
                "Plan before you go",
                [
                    "Only use licensed taxis or minicabs you have booked. Check the driver and "
                    "car match the booking before you get in.",
                    "Share your journey with a friend, and keep your phone charged.",
                ],
            ),
            (
                "Looking out for others",
                "Everyone can help",
                "If you see someone being harassed, and it is safe, check they are OK or tell "
                "staff or security. Call 999 if someone is in danger.",
            ),
        ),
        link_list("Support", VICTIM_SUPPORT, RAPE_CRISIS),
        contact_details("Contact us"),
    ],
)

ADVICE = [PHONE_SNATCHING, STALKING, SAFER_NIGHTS_OUT]
