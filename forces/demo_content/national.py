"""National advice, written once by the national content team and shown on every force site."""

from . import (
    ACTION_FRAUD,
    CITIZENS_ADVICE_SCAMS,
    CRIMESTOPPERS,
    DOMESTIC_ABUSE_HELPLINE,
    GALOP,
    GET_SAFE_ONLINE,
    IMMOBILISE,
    KARMA_NIRVANA,
    MENS_ADVICE_LINE,
    NEIGHBOURHOOD_WATCH,
    SECURED_BY_DESIGN,
    TAKE_FIVE,
    TRUE_VISION,
    VICTIM_SUPPORT,
    WOMENS_AID,
    AdvicePage,
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
)

BURGLARY = AdvicePage(
    slug="burglary",
    title="Protect your home from burglary",
    summary="Simple steps that make your home harder to break into, and what to do if it happens.",
    body=[
        danger_callout("If you think someone is in your home now, leave if you can and call 999."),
        paragraph(
            "Most burglaries are not planned far ahead. Burglars look for a home that seems "
            "empty and is easy to get into. A few simple habits make yours a harder target.",
        ),
        heading("Lock up, even when you are in"),
        paragraph(
            bullets(
                "Lock doors and windows every time you go out, even for a few minutes.",
                "Lock the back door when you are in the front garden, and the front door "
                "when you are in the back.",
                "Do not leave keys near the door or letterbox. Thieves can hook them through.",
                "Keep garden tools and ladders locked away. They can be used to break in.",
            ),
        ),
        heading("Make it look like someone is home"),
        paragraph(
            "Use timer switches on lamps and a radio when you are away in the evening. Ask a "
            "neighbour to collect post and move your bins. Do not post your holiday plans on "
            "social media until you are back.",
        ),
        accordion(
            (
                "Doors and locks",
                "What to look for",
                [
                    "Fit locks that meet British Standard BS 3621, or TS 007 three-star cylinders "
                    "on uPVC and composite doors.",
                    "A door chain or door viewer lets you check who is there before you open up.",
                ],
            ),
            (
                "Sheds and garages",
                "Bikes and tools are often taken",
                [
                    "Use a closed-shackle padlock and a strong hasp fixed with coach bolts.",
                    "Lock bikes to a ground anchor and mark them with your postcode.",
                ],
            ),
            (
                "Your valuables",
                "Make stolen property easier to return",
                [
                    "Photograph jewellery and note the serial numbers of electrical items.",
                    f"Register them free with {link(*IMMOBILISE)} so police can trace them.",
                ],
            ),
        ),
        heading("If you have been burgled"),
        paragraph(
            numbered(
                "If the burglar may still be inside, do not go in. Call 999.",
                "Try not to touch anything until police have seen it.",
                f"Report it online or call 101. You will get a crime reference number for "
                f"your insurer. {link('Report a burglary', '/report/')}.",
            ),
        ),
        link_list("Get help and advice", VICTIM_SUPPORT, SECURED_BY_DESIGN, NEIGHBOURHOOD_WATCH),
    ],
)

FRAUD = AdvicePage(
    slug="fraud-and-scams",
    title="Fraud and scams",
    summary="How to spot a scam, stop before you pay, and report fraud if it has happened.",
    body=[
        danger_callout(),
        callout(
            "Your bank or the police will never ask you to move money to a 'safe account', "
            "hand over your card or PIN, or buy gift cards.",
            style="important",
            title="Stop and check",
        ),
        paragraph(
            "Fraudsters are convincing. They may know your name, your bank and some of your "
            "account details. They may sound official and tell you to act quickly. Anyone can "
            "be caught out, and it is never your fault.",
        ),
        heading("Signs of a scam"),
        paragraph(
            bullets(
                "You are contacted out of the blue by phone, text, email or social media.",
                "You are told to act now, or to keep it secret from family or your bank.",
                "You are asked to pay by bank transfer, gift cards or cryptocurrency.",
                "An investment promises high returns with little or no risk.",
                "Someone you have met only online asks for money.",
            ),
        ),
        heading("Before you pay: stop, challenge, protect"),
        paragraph(
            "Take a moment before you share information or send money. It is fine to refuse "
            "or ignore a request. Only criminals will try to rush or panic you. If a call "
            "worries you, hang up and call your bank on the number on the back of your card, "
            "using a different phone if you can.",
        ),
        accordion(
            (
                "Scam texts and emails",
                [
                    "Forward suspicious texts to 7726. It is free.",
                    "Forward suspicious emails to report@phishing.gov.uk.",
                ],
            ),
            (
                "Courier fraud",
                "Callers claiming to be police or your bank",
                "A caller says they are a police officer or from your bank and asks you to "
                "withdraw cash or hand over your card to a courier. Police will never do this. "
                "Hang up.",
            ),
            (
                "Romance fraud",
                "When an online partner asks for money",
                "Be wary if someone you have not met in person asks for money, however good the "
                "reason. Talk to friends or family first.",
            ),
            (
                "Investment fraud",
                "Too good to be true",
                "Check a firm is authorised on the Financial Conduct Authority register before "
                "you invest. Be wary of adverts that use celebrities without their consent.",
            ),
        ),
        heading("If you have been scammed"),
        paragraph(
            numbered(
                "Call your bank straight away on the number on your card. They may be able to "
                "stop a payment.",
                "Report it to Action Fraud online or on 0300 123 2040.",
                "If you are vulnerable or the crime is happening now, call 999.",
            ),
        ),
        link_list(
            "Get help and advice",
            ACTION_FRAUD,
            TAKE_FIVE,
            CITIZENS_ADVICE_SCAMS,
            GET_SAFE_ONLINE,
            VICTIM_SUPPORT,
        ),
        contact_details(
            "Report fraud to Action Fraud",
            phone="0300 123 2040",
        ),
    ],
)

DOMESTIC_ABUSE = AdvicePage(
    slug="domestic-abuse",
    title="Domestic abuse",
    summary="Domestic abuse is a crime. Help is available, whoever you are, whenever you need it.",
    is_sensitive=True,
    body=[
        danger_callout(
            "If you cannot speak, call 999 from a mobile, listen, then press 55 when prompted. "
            "The call handler will know it is a real emergency."
        ),
        paragraph(
            "Domestic abuse is any controlling, threatening, violent or abusive behaviour by a "
            "partner, ex-partner or family member. It can happen to anyone, of any age, "
            "gender, sexuality or background. It is never your fault.",
        ),
        heading("What counts as domestic abuse"),
        paragraph(
            bullets(
                "Physical or sexual violence, or threats of it.",
                "Controlling your money, phone, friends or where you go.",
                "Constant criticism, put-downs or threats to harm you, your children or pets.",
                "Tracking you online or through your phone.",
                "Forcing you into marriage, or abuse in the name of so-called honour.",
            ),
        ),
        heading("Getting help safely"),
        paragraph(
            "This page has an 'Exit this page' button. Use it, or press the Shift key 3 times, "
            "to leave quickly. Your browser history may show you visited this page. Use a "
            "private window or a device the person hurting you cannot access.",
        ),
        paragraph(
            "In many pharmacies you can ask for 'ANI' (Action Needed Immediately). Staff will "
            "take you to a private room and help you call the police or a support service.",
        ),
        accordion(
            (
                "If you are worried about a partner's past",
                "The Domestic Violence Disclosure Scheme",
                "You can ask the police if a partner has a record of abuse. This is known as "
                "Clare's Law. A friend or family member can ask on your behalf.",
            ),
            (
                "If you are worried about someone else",
                "Friends, family and neighbours",
                [
                    "Listen without judging. Let them decide what to do next.",
                    "If you hear or see an attack happening, call 999.",
                ],
            ),
            (
                "If you are worried about your own behaviour",
                "Help to change",
                "Confidential help is available to people who want to stop being abusive. "
                "Call 101 or speak to your GP.",
            ),
        ),
        link_list(
            "Support services",
            DOMESTIC_ABUSE_HELPLINE,
            WOMENS_AID,
            MENS_ADVICE_LINE,
            GALOP,
            KARMA_NIRVANA,
            VICTIM_SUPPORT,
        ),
        contact_details(
            "National Domestic Abuse Helpline",
            phone="0808 2000 247",
            opening_hours="Free, confidential and open 24 hours a day",
        ),
    ],
)

VEHICLE_CRIME = AdvicePage(
    slug="vehicle-crime",
    title="Vehicle crime",
    summary="How to keep your car, van or motorbike and the things in it safe.",
    body=[
        danger_callout("If you see someone breaking into a vehicle, call 999."),
        paragraph(
            "Most vehicle crime is quick and opportunistic. Thieves look for valuables on show "
            "and vehicles that are easy to open or start.",
        ),
        heading("Keyless cars"),
        paragraph(
            "Thieves can use devices to pick up the signal from a keyless fob inside your home "
            "and relay it to your car. Keep keys away from doors and windows, in a "
            "signal-blocking pouch or tin. Ask your dealer whether your fob's keyless function "
            "can be turned off.",
        ),
        heading("Simple habits"),
        paragraph(
            bullets(
                "Lock your vehicle every time, and check it has locked.",
                "Take everything out, including phone holders and charging cables.",
                "Never leave a vehicle running to defrost on the drive.",
                "Use a steering lock. It is a visible deterrent.",
                "Park in a garage, or in a busy, well-lit place.",
            ),
        ),
        accordion(
            (
                "Vans and tools",
                "Tools are a common target",
                "Take tools out overnight, or fit an extra lock and a lockable tool safe. Mark "
                "tools with your postcode and register them.",
            ),
            (
                "Motorbikes and mopeds",
                "Lock, chain and cover",
                "Use a disc lock and chain through the frame to a ground anchor. A cover hides "
                "what your bike is.",
            ),
            (
                "Catalytic converters",
                "Hybrids and vans are targeted",
                "Park where the underside is hard to reach. Ask a garage about a converter "
                "guard and having it marked.",
            ),
        ),
        heading("If your vehicle has been stolen"),
        paragraph(
            "Check it has not been towed or moved first. Then call 101 or "
            f"{link('report it online', '/report/')} with the registration number. Tell your "
            "insurer and DVLA.",
        ),
        link_list("More advice", SECURED_BY_DESIGN, IMMOBILISE, VICTIM_SUPPORT),
    ],
)

HATE_CRIME = AdvicePage(
    slug="hate-crime",
    title="Hate crime",
    summary="If you are targeted because of who you are, report it. We take every report "
    "seriously.",
    body=[
        danger_callout(),
        paragraph(
            "A hate crime is any crime that the victim or anyone else believes was motivated by "
            "hostility or prejudice towards someone's disability, race, religion, sexual "
            "orientation or transgender identity. Incidents that are not crimes can still be "
            "reported, and they help us understand what is happening in your area.",
        ),
        heading("Ways to report"),
        paragraph(
            bullets(
                f"{link('Report online', '/report/')} or call 101.",
                "Report through True Vision, the national hate crime reporting website.",
                "Tell a third-party reporting centre, such as a community group, if you would "
                "rather not speak to police first.",
                "Report anonymously to Crimestoppers on 0800 555 111.",
            ),
        ),
        heading("Online hate"),
        paragraph(
            "Take screenshots of abusive posts or messages, including the sender's profile and "
            "the date. Report them to the platform as well as to us.",
        ),
        link_list("Get help", TRUE_VISION, VICTIM_SUPPORT, GALOP, CRIMESTOPPERS),
    ],
)

ADVICE = [BURGLARY, FRAUD, DOMESTIC_ABUSE, VEHICLE_CRIME, HATE_CRIME]
