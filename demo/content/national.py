"""National advice, written once by the national content team and shown on every force site.

The library is a set of sections under the hub's "Advice and information" page, one per topic,
each with its articles: ``SECTIONS`` lists them in the order they are listed on the site, and
``ADVICE`` is every article in them. Because the same text appears on every force's site, it never
names a force: it says "your local police" and "call 101".

Sensitive topics (domestic abuse, stalking, spiking, and the pages for people who have been
targeted or have gone missing) are marked ``is_sensitive``, so they show the "Exit this page"
button. Every article opens with the emergency warning.
"""

from dataclasses import dataclass

from . import (
    CHILDLINE,
    CITIZENS_ADVICE_SCAMS,
    CRIMESTOPPERS,
    DOMESTIC_ABUSE_HELPLINE,
    GALOP,
    GET_SAFE_ONLINE,
    IMMOBILISE,
    KARMA_NIRVANA,
    MENS_ADVICE_LINE,
    NEIGHBOURHOOD_WATCH,
    NSPCC,
    RAPE_CRISIS,
    SAMARITANS,
    SECURED_BY_DESIGN,
    STALKING_HELPLINE,
    TAKE_FIVE,
    TRUE_VISION,
    VICTIM_SUPPORT,
    WOMENS_AID,
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


@dataclass(frozen=True)
class Section:
    """A topic in the national library: a section page with its articles beneath it."""

    slug: str
    title: str
    summary: str
    intro: str
    articles: list
    is_sensitive: bool = False


# Support organisations the national library sends people to, beyond those every force uses.
# Action Fraud was replaced by Report Fraud on 4 December 2025; the phone number is unchanged.
REPORT_FRAUD = ("Report Fraud: report fraud and cyber crime", "https://reportfraud.police.uk/")
REFUGE = ("Refuge", "https://refuge.org.uk/")
RESPECT_PHONELINE = (
    "Respect Phoneline: help to stop being abusive",
    "https://respectphoneline.org.uk/",
)
MISSING_PEOPLE = ("Missing People: call or text 116 000", "https://www.missingpeople.org.uk/")
SHELTER = ("Shelter: housing advice and help", "https://www.shelter.org.uk/")
NCSC = ("National Cyber Security Centre: advice for individuals", "https://www.ncsc.gov.uk/")
CEOP = ("CEOP: report online sexual abuse of a child", "https://www.ceop.police.uk/")
REVENGE_PORN_HELPLINE = (
    "Revenge Porn Helpline: support for adults",
    "https://revengepornhelpline.org.uk/",
)
STOP_NCII = ("StopNCII.org: stop intimate images being shared", "https://stopncii.org/")
FCA_SCAMSMART = ("FCA ScamSmart: check before you invest", "https://www.fca.org.uk/scamsmart")
THINK = ("THINK! road safety", "https://www.think.gov.uk/")
BRAKE = ("Brake: the road safety charity", "https://www.brake.org.uk/")
ROADPEACE = (
    "RoadPeace: support for people bereaved or injured in road crashes",
    "https://www.roadpeace.org/",
)
HIGHWAY_CODE = ("The Highway Code", "https://www.gov.uk/guidance/the-highway-code")
DRINKAWARE = ("Drinkaware: staying safe on a night out", "https://www.drinkaware.co.uk/")
NHS_111 = ("NHS 111 online", "https://111.nhs.uk/")
STOP_HATE_UK = ("Stop Hate UK", "https://www.stophateuk.org/")
TELL_MAMA = ("Tell MAMA: support after anti-Muslim hate", "https://tellmamauk.org/")
CST = ("CST: support after antisemitism", "https://cst.org.uk/")
ASB_HELP = ("ASB Help: advice for victims of antisocial behaviour", "https://asbhelp.co.uk/")

REPORT = "/report/"
SECTION_ROOT = "/advice/"


def emergency(extra=""):
    """The warning every national article opens with."""
    return callout(f"If you are in immediate danger, call 999. {extra}".strip())


def silent_call():
    return emergency(
        "If you cannot speak, call 999 from a mobile, listen to the questions, then press 55 "
        "when you are asked to. The call handler will know you need help."
    )


def advice_link(text, section, article=""):
    """A link to another page in the national library, by its section and article slugs."""
    path = f"{SECTION_ROOT}{section}/" + (f"{article}/" if article else "")
    return link(text, path)


def helpline(title, phone, opening_hours=""):
    return contact_details(title, phone=phone, opening_hours=opening_hours, use_force_details=False)


def contact_police(title="Contact the police"):
    return contact_details(title, use_force_details=True)


# Burglary

PROTECT_YOUR_HOME = AdvicePage(
    slug="protect-your-home-from-burglary",
    title="Protect your home from burglary",
    summary="Simple habits and good locks make your home a much harder target for burglars.",
    body=[
        emergency("If you think someone is in your home now, leave if you can, then call 999."),
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
                "On uPVC doors, lift the handle and turn the key. Pulling the door shut does "
                "not lock it.",
                "Keep keys out of sight and away from the door and letterbox.",
                "Lock away ladders and garden tools. They can be used to break in.",
            ),
        ),
        heading("Make it look like someone is home"),
        paragraph(
            "Use timer switches on lamps and a radio when you are away in the evening. Ask a "
            "neighbour to collect post and move your bins. Wait until you are back before you "
            "post holiday photos on social media.",
        ),
        heading("Check who is at the door"),
        paragraph(
            "Some burglars trick their way in. They may say they are from the water company, "
            "the council or a charity. Genuine callers will not mind waiting while you check.",
        ),
        paragraph(
            numbered(
                "Lock your back door before you answer the front.",
                "Put the chain on, or look through the viewer or window.",
                "Ask for identification, and check it by calling the organisation on a number "
                "you have found yourself, not one the caller gives you.",
                "If you are not sure, do not let them in.",
            ),
        ),
        accordion(
            (
                "Doors and locks",
                "What to look for when you buy",
                [
                    "Fit locks that meet British Standard BS 3621, or TS 007 three-star "
                    "cylinders on uPVC and composite doors.",
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
                "Lights, alarms and cameras",
                "Let burglars know they will be seen",
                [
                    "A visible alarm box and good lighting put many burglars off.",
                    "If you fit a doorbell camera or CCTV, point it at your own property. You "
                    "must follow data protection law if it films beyond your boundary.",
                ],
            ),
            (
                "Your valuables",
                "Make stolen property easier to return",
                [
                    "Photograph jewellery and write down the serial numbers of electrical items.",
                    f"Register them free with {link(*IMMOBILISE)} so police can trace them.",
                ],
            ),
        ),
        link_list(
            "More advice",
            SECURED_BY_DESIGN,
            NEIGHBOURHOOD_WATCH,
            IMMOBILISE,
        ),
    ],
)

IF_BURGLED = AdvicePage(
    slug="if-you-have-been-burgled",
    title="What to do if you've been burgled",
    summary="What to do straight away if your home has been broken into, and where to get help.",
    body=[
        emergency(
            "If the burglar may still be inside, do not go in. Go somewhere safe and call 999."
        ),
        paragraph(
            "Coming home to a break-in is upsetting. These steps help the police investigate, "
            "and help you get back on your feet.",
        ),
        heading("Straight away"),
        paragraph(
            numbered(
                "If the burglary has just happened or the burglar is nearby, call 999.",
                f"Otherwise, call 101 or {link('report it online', REPORT)}.",
                "Try not to touch anything, especially where the burglar got in. There may be "
                "fingerprints or other evidence.",
                "If you must secure a door or window, touch it as little as you can.",
            ),
        ),
        paragraph(
            "You will get a crime reference number. Your insurer will ask for it.",
        ),
        heading("Afterwards"),
        paragraph(
            bullets(
                "Make a list of what has been taken, with serial numbers and photos if you "
                "have them.",
                "Cancel any bank cards that were taken, and tell your bank.",
                "Change your locks if keys were stolen.",
                "Call your insurer. Ask before you pay for repairs.",
                "Tell your neighbours, so they can check their own homes.",
            ),
        ),
        accordion(
            (
                "What happens next",
                "How the police investigate",
                [
                    "An officer or crime scene investigator may visit to look for evidence. "
                    "They will tell you what to keep untouched.",
                    "You will be told if anyone is charged, and you can ask for updates using "
                    "your crime reference number.",
                ],
            ),
            (
                "If you find your property for sale",
                "Online marketplaces and second-hand shops",
                "Do not try to get it back yourself. Take screenshots or note where it is, then "
                "call 101 with your crime reference number.",
            ),
            (
                "If you feel anxious afterwards",
                "It is a common reaction",
                "Many people feel unsafe at home after a burglary. Victim Support gives free, "
                "confidential help whether or not you reported the crime. Call their "
                "Supportline on 0808 168 9111.",
            ),
        ),
        paragraph(
            "To stop it happening again, "
            + advice_link(
                "read our advice on protecting your home",
                "burglary",
                "protect-your-home-from-burglary",
            )
            + ".",
        ),
        link_list("Get help", VICTIM_SUPPORT, IMMOBILISE),
        contact_police(),
    ],
)

BURGLARY = Section(
    slug="burglary",
    title="Burglary",
    summary="How to protect your home from burglary, and what to do if you have been burgled.",
    intro="<p>Most burglaries can be prevented. Find out how to make your home harder to break "
    "into, and what to do if it happens.</p>",
    articles=[PROTECT_YOUR_HOME, IF_BURGLED],
)


# Fraud and scams

SPOT_SCAMS = AdvicePage(
    slug="spot-and-avoid-scams",
    title="Spot and avoid scams",
    summary="How to spot a scam, stop before you pay, and what to do if you have been scammed.",
    body=[
        emergency("If someone is at your door to collect money or your bank card, call 999."),
        callout(
            "Your bank or the police will never ask you to move money to a 'safe account', "
            "hand over your card or PIN, or pay with gift cards.",
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
        heading("Stop, challenge, protect"),
        paragraph(
            "Take a moment before you share information or send money. It is fine to refuse "
            "or ignore a request. Only criminals will try to rush or panic you.",
        ),
        paragraph(
            "If a call worries you, hang up. Call your bank on the number on the back of your "
            "card, or call 159, which puts you through to most UK banks. Use a different phone "
            "if you can, because a fraudster can keep the line open.",
        ),
        accordion(
            (
                "Scam texts and emails",
                "Forward them, then delete them",
                [
                    "Forward suspicious texts to 7726. It is free.",
                    "Forward suspicious emails to report@phishing.gov.uk.",
                    "Do not click links or open attachments you were not expecting.",
                ],
            ),
            (
                "Investment fraud",
                "Too good to be true",
                "Check a firm is on the Financial Conduct Authority register before you "
                "invest. Be wary of adverts that show celebrities, which are often faked.",
            ),
            (
                "Buying and selling online",
                "Online shopping and marketplaces",
                [
                    "Pay by card or a secure payment service, not bank transfer.",
                    "Meet in a public place to buy or sell items such as phones and cars.",
                ],
            ),
        ),
        heading("If you have been scammed"),
        paragraph(
            numbered(
                "Call your bank straight away on the number on your card, or call 159. They "
                "may be able to stop a payment.",
                "Report it to Report Fraud, the national fraud and cyber crime reporting "
                "service, online or on 0300 123 2040.",
                "Change passwords on any accounts the fraudster may know about.",
            ),
        ),
        paragraph(
            "If you were tricked into making a bank transfer, your bank may have to refund you. "
            "Ask them.",
        ),
        link_list(
            "Get help and advice",
            REPORT_FRAUD,
            TAKE_FIVE,
            CITIZENS_ADVICE_SCAMS,
            FCA_SCAMSMART,
            VICTIM_SUPPORT,
        ),
        helpline("Report Fraud", "0300 123 2040"),
    ],
)

ROMANCE_FRAUD = AdvicePage(
    slug="romance-fraud",
    title="Romance fraud",
    summary="How to tell when an online relationship is a scam, and where to get help if it is.",
    body=[
        emergency(),
        paragraph(
            "Romance fraud is when someone builds a relationship with you online to get your "
            "money. They may spend weeks or months earning your trust before they ask. It can "
            "happen to anyone, and it is never your fault.",
        ),
        heading("Warning signs"),
        paragraph(
            bullets(
                "They say they love you very quickly, often before you have met.",
                "They always have a reason not to video call or meet in person.",
                "They say they work abroad, for example on an oil rig, in the military or as "
                "a doctor with a charity.",
                "They ask you to keep the relationship secret.",
                "They ask for money for an emergency, a flight or a fee, or ask you to invest "
                "in cryptocurrency.",
                "They ask you to receive money or parcels for them.",
            ),
        ),
        callout(
            "Never send money to someone you have only met online, however good the reason.",
            style="inset",
        ),
        heading("Check who you are talking to"),
        paragraph(
            bullets(
                "Search for their photos online. Fraudsters often use pictures of other people.",
                "Talk to a friend or relative you trust. Fraudsters try to stop you doing this.",
                "Keep chats on the dating site or app, where they can be reported.",
            ),
        ),
        heading("If you think you are being targeted"),
        paragraph(
            numbered(
                "Stop sending money. Do not give more to 'get back' what you have lost.",
                "Call your bank straight away, or call 159.",
                "Report the profile to the dating site or social media platform.",
                "Report it to Report Fraud online or on 0300 123 2040.",
            ),
        ),
        accordion(
            (
                "If you are asked to move money for someone",
                "This can be a crime",
                "Receiving money into your account and sending it on for someone else is money "
                "laundering, even if you did not know. Stop, and tell your bank.",
            ),
            (
                "If someone threatens to share intimate images",
                "Do not pay",
                "Stop all contact and keep the messages. Call 101 or report it online. "
                + advice_link(
                    "Read our advice on online blackmail",
                    "cyber-crime",
                    "sextortion-and-online-blackmail",
                )
                + ".",
            ),
            (
                "If you are worried about a relative",
                "How to start the conversation",
                "Ask about their new partner without judging. Share this page. People who are "
                "being defrauded often feel ashamed, so let them know it is not their fault.",
            ),
        ),
        link_list("Get help", REPORT_FRAUD, VICTIM_SUPPORT, GET_SAFE_ONLINE),
    ],
)

IMPERSONATION_FRAUD = AdvicePage(
    slug="courier-and-impersonation-fraud",
    title="Courier fraud and impersonation scams",
    summary="Criminals pretend to be the police or your bank; here is how to spot them.",
    body=[
        emergency("If a courier is on their way to collect money or your bank card, call 999."),
        paragraph(
            "Fraudsters call pretending to be police officers, bank staff or officials. They "
            "say your account is at risk or that they need your help with an investigation. "
            "They ask you to move money, withdraw cash, hand your card to a courier or buy "
            "gold. These calls target older people in particular.",
        ),
        callout(
            "The police and your bank will never ask you to withdraw cash, move money, hand "
            "over your card or PIN, or help with an investigation by phone.",
            style="important",
            title="The police will never ask you to do this",
        ),
        heading("What to do"),
        paragraph(
            numbered(
                "Hang up.",
                "Wait 5 minutes, or use a different phone. Fraudsters can keep the line open.",
                "Call your bank on the number on your card, or call 159.",
                "If a courier is coming, call 999.",
            ),
        ),
        heading("Other people fraudsters pretend to be"),
        accordion(
            (
                "HMRC and government departments",
                "Tax refunds and threats of arrest",
                "HMRC will not threaten you with arrest or ask for payment in gift cards. "
                "Do not call back on a number from a text or voicemail.",
            ),
            (
                "Delivery companies",
                "Missed parcel texts",
                "Texts asking you to pay a small fee to redeliver a parcel are a common way to "
                "steal card details. Forward them to 7726.",
            ),
            (
                "Family members",
                "'Hi Mum' messages",
                "A message from an unknown number says it is your child with a new phone, and "
                "asks for money. Call them on their old number before you do anything.",
            ),
            (
                "Rogue traders",
                "Doorstep offers of work",
                "Never agree to work from someone who knocks on your door. Get quotes from "
                "traders you have chosen yourself, and never pay up front in full.",
            ),
        ),
        heading("If you have lost money"),
        paragraph(
            "Call your bank straight away, then report it to Report Fraud on 0300 123 2040. If "
            "you handed anything to a courier, call 101 or 999 if they are still nearby.",
        ),
        link_list(
            "Get help and advice",
            REPORT_FRAUD,
            TAKE_FIVE,
            CITIZENS_ADVICE_SCAMS,
            VICTIM_SUPPORT,
        ),
    ],
)

FRAUD = Section(
    slug="fraud-and-scams",
    title="Fraud and scams",
    summary="How to spot scams, protect your money, and report fraud if it has happened.",
    intro="<p>Fraud is the most common crime in England and Wales. Find out how to spot a "
    "scam, and what to do if you have been targeted. Report fraud to Report Fraud on "
    "0300 123 2040.</p>",
    articles=[SPOT_SCAMS, ROMANCE_FRAUD, IMPERSONATION_FRAUD],
)


# Vehicle crime

KEEP_VEHICLE_SAFE = AdvicePage(
    slug="keep-your-vehicle-safe",
    title="Keep your vehicle safe",
    summary="How to keep your car, van or motorbike, and the things in it, safe from thieves.",
    body=[
        emergency("If you see someone breaking into a vehicle, call 999."),
        paragraph(
            "Most vehicle crime is quick and opportunistic. Thieves look for valuables on show "
            "and vehicles that are easy to open or start.",
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
        heading("Keyless cars"),
        paragraph(
            "Thieves can use devices to pick up the signal from a keyless fob inside your home "
            "and relay it to your car. Keep keys away from doors and windows, in a "
            "signal-blocking pouch or tin. Ask your dealer whether the keyless function can be "
            "turned off, and whether your car needs a software update.",
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
                "Use a disc lock and a chain through the frame to a ground anchor. A cover "
                "hides what your bike is.",
            ),
            (
                "Catalytic converters",
                "Hybrids and vans are targeted",
                "Park where the underside is hard to reach. Ask a garage about a converter "
                "guard and having it marked.",
            ),
            (
                "Number plates",
                "Stolen plates are used to commit other crimes",
                "Fit theft-resistant screws. If your plates are stolen, report it so that "
                "offences committed with them are not linked to you.",
            ),
        ),
        link_list("More advice", SECURED_BY_DESIGN, IMMOBILISE),
    ],
)

IF_VEHICLE_STOLEN = AdvicePage(
    slug="if-your-vehicle-is-stolen",
    title="If your vehicle is stolen or broken into",
    summary="What to do if your vehicle has been stolen, broken into or damaged.",
    body=[
        emergency("If you see your vehicle being stolen, do not approach the thieves. Call 999."),
        heading("If your vehicle is missing"),
        paragraph(
            numbered(
                "Check it has not been towed or moved. Your local council can tell you if it "
                "was removed for parking.",
                f"Call 101 or {link('report it online', REPORT)}. Have the registration number, "
                "make, model and colour ready.",
                "Tell your insurer straight away. If your vehicle is not found, your insurer will "
                "usually tell DVLA when they pay out.",
            ),
        ),
        paragraph(
            "If you have a tracker fitted, tell the tracking company too. Do not try to get the "
            "vehicle back yourself.",
        ),
        heading("If your vehicle has been broken into"),
        paragraph(
            bullets(
                "Take photos of the damage before you clean or move anything.",
                f"{link('Report it online', REPORT)} or call 101, and list what was taken.",
                "Cancel any bank cards or documents that were in the vehicle.",
                "Give serial numbers of stolen items, such as satnavs and tools, if you have them.",
            ),
        ),
        accordion(
            (
                "If your vehicle is found",
                "What happens next",
                "Police will tell you where it is. It may need to be examined for evidence "
                "before you can have it back. Do not drive it until it has been checked.",
            ),
            (
                "If you are being charged for offences you did not commit",
                "Cloned number plates",
                "If you get fines or speeding notices for places you have not been, your "
                "plates may have been copied. Tell the organisation that sent the notice, and "
                "call 101.",
            ),
        ),
        paragraph(
            advice_link(
                "Find out how to keep your vehicle safe", "vehicle-crime", "keep-your-vehicle-safe"
            )
            + ".",
        ),
        link_list("Get help", VICTIM_SUPPORT, SECURED_BY_DESIGN),
        contact_police(),
    ],
)

VEHICLE_CRIME = Section(
    slug="vehicle-crime",
    title="Vehicle crime",
    summary="How to keep your vehicle safe, and what to do if it is stolen or broken into.",
    intro="<p>Keep your car, van or motorbike, and what is in it, safe from thieves.</p>",
    articles=[KEEP_VEHICLE_SAFE, IF_VEHICLE_STOLEN],
)


# Domestic abuse

RECOGNISING_DOMESTIC_ABUSE = AdvicePage(
    slug="recognising-domestic-abuse",
    title="Recognising domestic abuse",
    summary="Domestic abuse is more than violence: the signs, and why it is never your fault.",
    is_sensitive=True,
    body=[
        silent_call(),
        paragraph(
            "Domestic abuse is any controlling, threatening, violent or abusive behaviour by a "
            "partner, ex-partner or family member. It can happen to anyone, of any age, "
            "gender, sexuality or background. It is a crime, and it is never your fault.",
        ),
        callout(
            "This page has an 'Exit this page' button. Use it, or press the Shift key 3 times, "
            "to leave quickly.",
            style="inset",
        ),
        heading("Signs of domestic abuse"),
        paragraph(
            bullets(
                "Hitting, pushing, strangling or any other physical violence, or threats of it.",
                "Forcing or pressuring you into sexual activity.",
                "Controlling your money, your phone, who you see or where you go.",
                "Constant criticism, put-downs, or making you doubt your own memory.",
                "Threats to harm you, your children or your pets, or to harm themselves.",
                "Checking your messages or tracking your location.",
            ),
        ),
        heading("Coercive control"),
        paragraph(
            "Coercive control is a pattern of behaviour that takes away your freedom and makes "
            "you afraid. It can include isolating you from friends, deciding what you wear, "
            "and punishing you for breaking their rules. It is a crime, even if there is no "
            "violence.",
        ),
        accordion(
            (
                "Economic abuse",
                "When someone controls your money",
                "Taking your wages or benefits, running up debts in your name, or stopping you "
                "from working are forms of abuse.",
            ),
            (
                "Abuse by family members",
                "Parents, children, siblings and other relatives",
                "Domestic abuse includes abuse by adult children, parents, siblings and other "
                "relatives, whether or not you live with them.",
            ),
            (
                "Honour-based abuse and forced marriage",
                "Abuse to protect a family's 'honour'",
                f"Forcing someone to marry is a crime. {link(*KARMA_NIRVANA)} can help, on "
                "0800 5999 247.",
            ),
            (
                "Abuse in young people's relationships",
                "Abuse can start early",
                "Young people can experience abuse from a boyfriend or girlfriend. Childline "
                "is free and confidential on 0800 1111.",
            ),
        ),
        heading("Questions to ask yourself"),
        paragraph(
            bullets(
                "Do you change what you do because you are afraid of how they will react?",
                "Do you feel you are walking on eggshells?",
                "Have you stopped seeing friends or family because of them?",
            ),
        ),
        paragraph(
            "If you answered yes to any of these, talk to someone. "
            + advice_link(
                "Find out how to get help safely",
                "domestic-abuse",
                "getting-help-and-staying-safe",
            )
            + ".",
        ),
        link_list(
            "Support services",
            DOMESTIC_ABUSE_HELPLINE,
            WOMENS_AID,
            MENS_ADVICE_LINE,
            GALOP,
            KARMA_NIRVANA,
        ),
        helpline(
            "National Domestic Abuse Helpline",
            "0808 2000 247",
            "Free, confidential and open 24 hours a day",
        ),
    ],
)

GETTING_HELP_DOMESTIC_ABUSE = AdvicePage(
    slug="getting-help-and-staying-safe",
    title="Getting help and staying safe",
    summary="How to get help for domestic abuse safely, including if you cannot talk freely.",
    is_sensitive=True,
    body=[
        silent_call(),
        paragraph(
            "You do not have to leave to get help, and you do not have to go to the police "
            "first. Specialist services can talk through your options in confidence.",
        ),
        heading("Get help without being noticed"),
        paragraph(
            bullets(
                "Use the 'Exit this page' button, or press the Shift key 3 times, to leave "
                "this page quickly.",
                "Use a private browsing window, or a device the person hurting you cannot "
                "access. Your browser history may show the pages you visit.",
                "In many pharmacies you can ask for 'ANI' (Action Needed Immediately). Staff "
                "will take you to a private room and help you call the police or a support "
                "service.",
            ),
        ),
        heading("Report to the police"),
        paragraph(
            f"Call 999 in an emergency. Otherwise call 101 or {link('report online', REPORT)}. "
            "You can ask to speak to an officer of a particular gender. Police can arrest the "
            "person hurting you, and can apply for orders that stop them contacting you or "
            "coming to your home.",
        ),
        heading("Make a safety plan"),
        accordion(
            (
                "If you are living with the person",
                "Plan for an emergency",
                [
                    "Think about which rooms you could leave from quickly. Avoid the kitchen "
                    "and rooms without a way out.",
                    "Agree a code word with someone you trust, so they know to call 999.",
                    "Keep your phone charged and with you.",
                ],
            ),
            (
                "If you are planning to leave",
                "Get things ready",
                [
                    "Keep copies of documents, such as passports and birth certificates, with "
                    "someone you trust.",
                    "Put aside some money and spare keys if you can.",
                    "A helpline can help you find a refuge. You can go to one in another area.",
                ],
            ),
            (
                "After you have left",
                "Staying safe",
                [
                    "Change your passwords, and check your phone and car for tracking apps or "
                    "devices.",
                    "Ask a solicitor about a non-molestation order or an occupation order.",
                ],
            ),
        ),
        heading("Support for everyone"),
        paragraph(
            bullets(
                "National Domestic Abuse Helpline (run by Refuge): 0808 2000 247, 24 hours.",
                "Men's Advice Line: 0808 801 0327.",
                "Galop, for LGBT+ people: 0800 999 5428.",
                "Karma Nirvana, for honour-based abuse and forced marriage: 0800 5999 247.",
            ),
        ),
        link_list(
            "Support services",
            DOMESTIC_ABUSE_HELPLINE,
            REFUGE,
            WOMENS_AID,
            MENS_ADVICE_LINE,
            GALOP,
            VICTIM_SUPPORT,
        ),
        helpline(
            "National Domestic Abuse Helpline",
            "0808 2000 247",
            "Free, confidential and open 24 hours a day",
        ),
    ],
)

WORRIED_ABOUT_SOMEONE = AdvicePage(
    slug="worried-about-someone-or-your-own-behaviour",
    title="Worried about someone, or about your own behaviour",
    summary="How to help someone who is being abused, and where to get help to stop abusing.",
    is_sensitive=True,
    body=[
        emergency("If you hear or see someone being attacked, call 999."),
        heading("If you are worried about someone else"),
        paragraph(
            "You may notice that a friend, relative or colleague seems afraid of their partner, "
            "has stopped seeing people, or has injuries they do not explain.",
        ),
        paragraph(
            bullets(
                "Find a safe time to talk, when the other person is not around.",
                "Listen, and believe them. Do not judge or tell them what to do.",
                "Let them know it is not their fault, and that help is available.",
                "Give them the National Domestic Abuse Helpline number: 0808 2000 247.",
                "Do not confront the person you think is abusive. It could put them at more risk.",
            ),
        ),
        heading("Ask about a partner's past"),
        paragraph(
            "Under the Domestic Violence Disclosure Scheme, sometimes called Clare's Law, you "
            "can ask the police whether a partner has a record of abuse. You can also ask "
            "about someone else's partner if you are worried about them. Call 101 or ask at a "
            "police station.",
        ),
        heading("If you are worried about your own behaviour"),
        paragraph(
            "If you have hurt or frightened a partner or family member, or you are afraid you "
            "might, you can change. The Respect Phoneline gives confidential advice to people "
            "who want to stop being abusive, on 0808 802 4040.",
        ),
        accordion(
            (
                "If children are involved",
                "Children are victims of domestic abuse too",
                "Children who see or hear abuse are harmed by it. If you are worried about a "
                f"child, contact {link(*NSPCC)} or call 101.",
            ),
            (
                "If the person being abused is older",
                "Abuse by partners, family and carers",
                "Older people can be abused by partners, adult children or carers. The local "
                "council's adult social care team can help, as well as the police.",
            ),
        ),
        link_list(
            "Get help",
            DOMESTIC_ABUSE_HELPLINE,
            RESPECT_PHONELINE,
            WOMENS_AID,
            NSPCC,
        ),
        helpline("Respect Phoneline", "0808 802 4040"),
    ],
)

DOMESTIC_ABUSE = Section(
    slug="domestic-abuse",
    title="Domestic abuse",
    summary="Domestic abuse is a crime: how to recognise it, and how to get help safely.",
    intro="<p>Domestic abuse is a crime, and help is available whoever you are. If you are in "
    "immediate danger, call 999. The National Domestic Abuse Helpline is free and open 24 "
    "hours a day on 0808 2000 247.</p>",
    articles=[RECOGNISING_DOMESTIC_ABUSE, GETTING_HELP_DOMESTIC_ABUSE, WORRIED_ABOUT_SOMEONE],
    is_sensitive=True,
)


# Hate crime

WHAT_IS_HATE_CRIME = AdvicePage(
    slug="what-is-hate-crime",
    title="What hate crime is and how to report it",
    summary="If you are targeted because of who you are, report it: every report is taken "
    "seriously.",
    body=[
        emergency(),
        paragraph(
            "A hate crime is any crime that the victim or anyone else believes was motivated by "
            "hostility or prejudice towards someone's:",
        ),
        paragraph(
            bullets(
                "disability",
                "race or ethnicity",
                "religion or belief",
                "sexual orientation",
                "transgender identity",
            ),
        ),
        paragraph(
            "It can be assault, damage to property, threats, harassment or abuse, in person or "
            "online. A hate incident is something that is not a crime but is motivated by the "
            "same hostility. You can report both.",
        ),
        heading("Ways to report"),
        paragraph(
            bullets(
                f"{link('Report online', REPORT)} or call 101.",
                "Report through True Vision, the national hate crime reporting website.",
                "Tell a third-party reporting centre, such as a community group, if you would "
                "rather not speak to the police first.",
                "Report anonymously to the independent charity Crimestoppers on 0800 555 111.",
            ),
        ),
        heading("Online hate"),
        paragraph(
            "Take screenshots of abusive posts or messages, including the sender's profile and "
            "the date. Report them to the platform as well as to the police.",
        ),
        accordion(
            (
                "Why reporting matters",
                "Even if it seems minor",
                "Reports help police understand what is happening in your area and plan "
                "patrols. Incidents that seem small can be part of a pattern.",
            ),
            (
                "If you saw it happen",
                "Witnesses",
                "If it is safe, stay with the person targeted and ask if they are okay. Note "
                "what happened and when, and report it.",
            ),
        ),
        link_list("Report and get help", TRUE_VISION, CRIMESTOPPERS, STOP_HATE_UK),
    ],
)

SUPPORT_AFTER_HATE_CRIME = AdvicePage(
    slug="support-if-you-have-been-targeted",
    title="Support if you've been targeted",
    summary="Free, confidential support if you have been targeted because of who you are.",
    is_sensitive=True,
    body=[
        emergency(),
        paragraph(
            "Being targeted because of who you are can leave you feeling scared, angry or "
            "isolated. Those feelings are normal. You do not have to deal with them alone, and "
            "you can get support whether or not you report to the police.",
        ),
        heading("Staying safe"),
        paragraph(
            bullets(
                "If you are being targeted near your home, keep a record of each incident: the "
                "date, the time, what happened and who was there.",
                "Keep messages, voicemails and screenshots. Do not reply.",
                "If you rent, tell your landlord or housing association. They can act too.",
            ),
        ),
        heading("What the police will do"),
        paragraph(
            "An officer will listen, record what happened and talk to you about your safety. "
            "If someone is convicted, the court can give them a longer sentence because the "
            "crime was motivated by hate.",
        ),
        accordion(
            (
                "Support for LGBT+ people",
                "Specialist help",
                f"{link(*GALOP)} supports LGBT+ people who have experienced hate crime, "
                "abuse or violence.",
            ),
            (
                "Support for faith communities",
                "Antisemitism and anti-Muslim hatred",
                f"{link(*CST)} supports Jewish people, and {link(*TELL_MAMA)} supports Muslim "
                "people, who have been targeted. Both can pass reports to the police.",
            ),
            (
                "Support for disabled people",
                "Disability hate crime",
                "You can bring someone you trust with you when you speak to the police. Tell "
                "them about any support you need to give your account.",
            ),
        ),
        link_list(
            "Get support",
            VICTIM_SUPPORT,
            STOP_HATE_UK,
            GALOP,
            CST,
            TELL_MAMA,
            TRUE_VISION,
        ),
        helpline("Victim Support Supportline", "0808 168 9111", "Free, 24 hours a day"),
    ],
)

HATE_CRIME = Section(
    slug="hate-crime",
    title="Hate crime",
    summary="What hate crime is, how to report it, and support if you have been targeted.",
    intro="<p>No one should be targeted because of who they are. Report hate crime and hate "
    "incidents, and get support.</p>",
    articles=[WHAT_IS_HATE_CRIME, SUPPORT_AFTER_HATE_CRIME],
)


# Antisocial behaviour

WHAT_IS_ASB = AdvicePage(
    slug="what-antisocial-behaviour-is-and-who-to-tell",
    title="What antisocial behaviour is and who to tell",
    summary="Which organisation deals with each kind of antisocial behaviour, and how to report.",
    body=[
        emergency("If someone is being threatened or hurt, call 999."),
        paragraph(
            "Antisocial behaviour is behaviour that causes, or is likely to cause, harassment, "
            "alarm or distress. The police, your local council and housing providers share "
            "responsibility for it. Reporting to the right one gets the quickest response.",
        ),
        heading("Tell the police about"),
        paragraph(
            bullets(
                "threats, intimidation, or harassment of you or your family",
                "drug dealing or drug use",
                "off-road bikes or vehicles being driven dangerously",
                "groups causing damage or fear in public places",
            ),
        ),
        paragraph(f"Call 101 or {link('report it online', REPORT)}."),
        heading("Tell your local council about"),
        paragraph(
            bullets(
                "noise from a neighbour or a business",
                "fly-tipping, litter and graffiti",
                "abandoned vehicles",
                "dog fouling and nuisance dogs",
            ),
        ),
        heading("Tell your landlord about"),
        paragraph(
            "If the person causing the problem rents from a housing association or the council, "
            "the landlord can act against a tenant who breaks their tenancy.",
        ),
        accordion(
            (
                "Keep a diary",
                "Evidence helps every organisation act",
                "Note the date, the time, what happened, who was involved and how it affected "
                "you. Keep photos, videos and recordings if it is safe to make them.",
            ),
            (
                "Talk to your neighbour",
                "If you feel safe to",
                "Many problems, such as noise, can be solved by a calm conversation. If that "
                "does not work, your council may offer mediation.",
            ),
            (
                "Report anonymously",
                "If you are worried about being identified",
                "You can give information to the independent charity Crimestoppers on "
                "0800 555 111. They will never ask your name.",
            ),
        ),
        link_list("More help", ASB_HELP, CRIMESTOPPERS, NEIGHBOURHOOD_WATCH),
        contact_police(),
    ],
)

ONGOING_ASB = AdvicePage(
    slug="if-antisocial-behaviour-keeps-happening",
    title="If antisocial behaviour keeps happening",
    summary="What you can do if you have reported antisocial behaviour and it has not stopped.",
    body=[
        emergency(),
        paragraph(
            "Living with antisocial behaviour that does not stop is exhausting. If you have "
            "reported it and nothing seems to change, there are more things you can do.",
        ),
        heading("Ask for an ASB Case Review"),
        paragraph(
            "An ASB Case Review, which used to be called the Community Trigger, makes the "
            "police, the council and housing providers look at your case together and agree "
            "what to do. You can usually ask for one if you have reported antisocial behaviour "
            "3 times in 6 months.",
        ),
        paragraph(
            numbered(
                "Find the ASB Case Review page on your local council's website.",
                "Fill in the form, with the dates of your reports and any reference numbers.",
                "The organisations will review your case and tell you what they will do.",
            ),
        ),
        heading("What the police and council can do"),
        accordion(
            (
                "Warnings and agreements",
                "Often the first step",
                "The person may be given a warning or asked to sign an agreement to change "
                "their behaviour.",
            ),
            (
                "Court orders",
                "When warnings do not work",
                "The police or council can ask a court for an injunction that bans someone "
                "from doing certain things or going to certain places. Breaking it can lead "
                "to arrest.",
            ),
            (
                "Closing a property",
                "For serious, persistent problems",
                "A property linked to serious nuisance or crime, such as drug dealing, can be "
                "closed by a court order for up to 3 months.",
            ),
        ),
        heading("Look after yourself"),
        paragraph(
            "Victim Support helps people affected by antisocial behaviour, for free. If it is "
            "affecting your mental health, talk to your GP, or call Samaritans on 116 123 at "
            "any time.",
        ),
        link_list("Get help", ASB_HELP, VICTIM_SUPPORT, SAMARITANS),
    ],
)

ANTISOCIAL_BEHAVIOUR = Section(
    slug="antisocial-behaviour",
    title="Antisocial behaviour",
    summary="Who to tell about antisocial behaviour, and what to do if it keeps happening.",
    intro="<p>Find out who deals with antisocial behaviour where you live, and what you can do "
    "if it does not stop.</p>",
    articles=[WHAT_IS_ASB, ONGOING_ASB],
)


# Missing persons

REPORT_MISSING = AdvicePage(
    slug="report-someone-missing",
    title="Report someone missing",
    summary="You do not have to wait 24 hours to report someone missing: what to do now.",
    body=[
        emergency(
            "Call 999 if a missing person is a child, is vulnerable, or you think they may "
            "harm themselves or be in danger."
        ),
        callout(
            "You do not have to wait 24 hours before you report someone missing.",
            style="important",
            title="Report it as soon as you are worried",
        ),
        paragraph(
            "If you are worried about someone and you do not know where they are, contact the "
            "police. Call 999 if you think they are at risk. Otherwise, call 101.",
        ),
        heading("Before you call"),
        paragraph(
            bullets(
                "Check with friends, family, work, school or college.",
                "Check their room for notes, and check whether they took their phone, wallet "
                "or medication.",
                "Call hospitals near where they were last seen.",
            ),
        ),
        heading("What the police will ask"),
        paragraph(
            bullets(
                "A description of the person and what they were wearing.",
                "A recent photo.",
                "When and where they were last seen, and who with.",
                "Their phone number and social media accounts.",
                "Any medical conditions or medication they need.",
                "Places they might go, and anyone they might contact.",
            ),
        ),
        accordion(
            (
                "If the person has dementia",
                "The Herbert Protocol",
                "The Herbert Protocol is a form that families and carers fill in ahead of time, "
                "with details that help police find someone with dementia quickly. Ask your "
                "local police for a copy.",
            ),
            (
                "If a child goes missing regularly",
                "Talk to the police and the school",
                "A child who often goes missing may be at risk of exploitation. Tell the police "
                "each time, even if they come home.",
            ),
            (
                "When they come home",
                "Tell the police",
                "Let the police know when the person is found. An officer will want to check "
                "they are safe and well.",
            ),
        ),
        heading("Support for families"),
        paragraph(
            "Waiting for news is very hard. The charity Missing People supports families "
            "and friends, for free. Call or text 116 000.",
        ),
        link_list("Get support", MISSING_PEOPLE, SAMARITANS),
        helpline("Missing People", "116 000", "Call or text, free and confidential"),
    ],
)

IF_YOU_HAVE_GONE_MISSING = AdvicePage(
    slug="if-you-have-run-away-or-gone-missing",
    title="If you've run away or gone missing",
    summary="If you have left home or are thinking about it, free and confidential help is here.",
    is_sensitive=True,
    body=[
        emergency(),
        paragraph(
            "If you have left home, or you are thinking about it, you are not in trouble. Going "
            "missing is not a crime. People who are worried about you just want to know you "
            "are safe.",
        ),
        heading("Get help without going home"),
        paragraph(
            bullets(
                "Call or text Missing People on 116 000. It is free, confidential and will not "
                "show on your phone bill.",
                "Missing People can pass a message to your family for you, without saying where "
                "you are.",
                "If you are under 18, you can also talk to Childline on 0800 1111.",
            ),
        ),
        heading("If the police are looking for you"),
        paragraph(
            "If you are an adult, the police will want to check you are safe and well. They "
            "will not tell anyone where you are without your agreement, unless there is a "
            "serious risk to you or someone else.",
        ),
        accordion(
            (
                "If you are running away from harm",
                "Abuse at home",
                "If someone at home is hurting you, tell the police, a teacher or Childline. "
                "You will not be sent back somewhere unsafe.",
            ),
            (
                "If you have nowhere to stay",
                "Housing help",
                f"Your local council must help if you are homeless. {link(*SHELTER)} can give "
                "you free advice.",
            ),
            (
                "If you are thinking about ending your life",
                "You can talk to someone now",
                "Call Samaritans on 116 123, free, at any time. If you are in danger now, call "
                "999.",
            ),
        ),
        link_list("Get help", MISSING_PEOPLE, CHILDLINE, SAMARITANS, SHELTER),
        helpline("Missing People", "116 000", "Call or text, free and confidential"),
    ],
)

MISSING_PERSONS = Section(
    slug="missing-persons",
    title="Missing persons",
    summary="How to report someone missing, and help if you have run away or gone missing.",
    intro="<p>You do not have to wait 24 hours to report someone missing. If you are worried, "
    "call 101, or 999 if they may be in danger.</p>",
    articles=[REPORT_MISSING, IF_YOU_HAVE_GONE_MISSING],
)


# Road safety

STAY_SAFE_ON_ROADS = AdvicePage(
    slug="stay-safe-on-the-roads",
    title="Stay safe on the roads",
    summary="The 4 main causes of deaths on the roads, and how to keep yourself and others safe.",
    body=[
        emergency("If you see a crash or a driver putting lives at risk, call 999."),
        paragraph(
            "Most deaths and serious injuries on the roads are caused by 4 things: speeding, "
            "drink or drug driving, not wearing a seat belt, and using a phone while driving.",
        ),
        accordion(
            (
                "Speed",
                "Drive to the conditions, not just the limit",
                "The faster you go, the less time you have to stop. Speeding can mean a fine of "
                "at least £100 and 3 penalty points.",
            ),
            (
                "Drink and drugs",
                "None for the road",
                "There is no safe amount of alcohol to drink before you drive. Driving after "
                "taking illegal drugs, or some prescription medicines, is also a crime. You "
                "could still be over the limit the morning after.",
            ),
            (
                "Seat belts",
                "Every seat, every journey",
                "You must wear a seat belt if one is fitted. Drivers are responsible for "
                "children under 14 being properly restrained.",
            ),
            (
                "Mobile phones",
                "Put it away",
                "It is illegal to hold and use a phone while driving, even when stopped in "
                "traffic. You could get 6 penalty points and a £200 fine.",
            ),
        ),
        heading("Look out for each other"),
        paragraph(
            bullets(
                "Give people cycling at least 1.5 metres of space when you overtake.",
                "Give people walking in the road and horse riders at least 2 metres, and pass "
                "slowly.",
                "At junctions, give way to people crossing the road you are turning into.",
                "Take a break every 2 hours on long journeys.",
            ),
        ),
        link_list("More advice", THINK, HIGHWAY_CODE, BRAKE),
    ],
)

REPORT_DANGEROUS_DRIVING = AdvicePage(
    slug="report-dangerous-driving-and-road-incidents",
    title="Report dangerous driving and road incidents",
    summary="What to do after a collision, and how to report dangerous driving and send footage.",
    body=[
        emergency("Call 999 if anyone is hurt, the road is blocked, or a driver may be drunk."),
        heading("If you are in a collision"),
        paragraph(
            numbered(
                "Stop in a safe place and turn on your hazard lights.",
                "If anyone is hurt or the road is blocked, call 999.",
                "Give your name, address and registration number to anyone with reasonable "
                "grounds to ask for them.",
                "If anyone was injured, show your insurance certificate.",
            ),
        ),
        callout(
            "If you do not exchange details at the scene, or someone is injured and you cannot "
            "show your insurance, you must report the collision to the police as soon as "
            "possible, and within 24 hours.",
            style="important",
            title="You must report some collisions",
        ),
        heading("Report dangerous or careless driving"),
        paragraph(
            f"If it is not happening now, call 101 or {link('report it online', REPORT)}. Give "
            "the registration number, where and when it happened, and a description of the "
            "vehicle and driver.",
        ),
        heading("Dashcam and helmet camera footage"),
        paragraph(
            "Many police forces let you send dashcam, helmet camera or phone footage online. "
            "Check your local police website. Keep the original file and do not edit it. You "
            "may be asked to give a witness statement.",
        ),
        accordion(
            (
                "If you hit an animal",
                "When you must stop and report it",
                "If you hit a dog, horse, cow, pig, goat, sheep, donkey or mule, you must stop. "
                "If you cannot give your details to the owner, report it to the police. If an "
                "injured deer or other large animal is in the road, call 999.",
            ),
            (
                "If someone has been killed or seriously injured",
                "Support for families and survivors",
                "A specially trained family liaison officer will usually support the families "
                "of people killed in road crashes. Charities such as Brake and RoadPeace also "
                "offer free support.",
            ),
        ),
        link_list("Get support", BRAKE, ROADPEACE, VICTIM_SUPPORT),
        contact_police(),
    ],
)

ROAD_SAFETY = Section(
    slug="road-safety",
    title="Road safety",
    summary="How to stay safe on the roads, and how to report a collision or dangerous driving.",
    intro="<p>How to keep yourself and others safe on the roads, and what to do after a "
    "collision.</p>",
    articles=[STAY_SAFE_ON_ROADS, REPORT_DANGEROUS_DRIVING],
)


# Cyber crime

PROTECT_ONLINE = AdvicePage(
    slug="protect-yourself-online",
    title="Protect yourself online",
    summary="6 simple steps that protect your accounts and devices from criminals online.",
    body=[
        emergency(),
        paragraph(
            "Most cyber crime relies on weak passwords, old software or people being tricked "
            "into clicking a link. A few simple steps protect you from most of it.",
        ),
        heading("6 steps to stay secure"),
        paragraph(
            numbered(
                "Use a strong, separate password for your email. Using 3 random words works well.",
                "Turn on 2-step verification for your email, banking and social media.",
                "Save passwords in your browser or a password manager.",
                "Install updates for your phone, computer and apps as soon as they arrive.",
                "Back up your photos and files.",
                "Do not click links in messages you were not expecting.",
            ),
        ),
        heading("Phishing messages"),
        paragraph(
            "Criminals send emails, texts and social media messages that look like they come "
            "from banks, delivery firms or people you know. Forward suspicious emails to "
            "report@phishing.gov.uk and suspicious texts to 7726.",
        ),
        accordion(
            (
                "Children online",
                "Talk about what they do",
                "Talk to children about the apps and games they use, and who they talk to. "
                f"If you are worried about how someone is talking to a child, report it to "
                f"{link(*CEOP)}.",
            ),
            (
                "Buying online",
                "Check before you pay",
                "Check a website's reviews before you buy. Pay by credit card where you can, "
                "because it gives you more protection.",
            ),
            (
                "Smart devices",
                "Cameras, speakers and doorbells",
                "Change any default password when you set up a smart device, and keep its "
                "software up to date.",
            ),
        ),
        link_list("More advice", NCSC, GET_SAFE_ONLINE),
    ],
)

IF_HACKED = AdvicePage(
    slug="if-you-have-been-hacked",
    title="If you've been hacked",
    summary="What to do if someone has got into your email, social media or other accounts.",
    body=[
        emergency(),
        paragraph(
            "Signs that an account has been hacked include messages you did not send, password "
            "reset emails you did not ask for, and being unable to log in.",
        ),
        heading("What to do"),
        paragraph(
            numbered(
                "Use the account's recovery process to get back in. Search for the name of the "
                "service and 'recover account'.",
                "Change the password, and the password of any account that used the same one.",
                "Turn on 2-step verification.",
                "Check the account's settings for forwarding rules, linked devices and recovery "
                "details you do not recognise.",
                "Tell your contacts, so they can ignore messages sent in your name.",
            ),
        ),
        heading("Report it"),
        paragraph(
            "If you have lost money or been blackmailed, report it to Report Fraud online or on "
            "0300 123 2040. If money was taken from your bank account, call your bank first.",
        ),
        accordion(
            (
                "If a device is infected",
                "Viruses and ransomware",
                "Disconnect it from the internet. Do not pay a ransom: there is no guarantee you "
                "will get your files back. Restore your files from a backup.",
            ),
            (
                "If you run a business",
                "Cyber attacks on organisations",
                "If an attack is happening now, call Report Fraud on 0300 123 2040. The "
                "National Cyber Security Centre has guidance for small businesses.",
            ),
        ),
        link_list("Get help", REPORT_FRAUD, NCSC, VICTIM_SUPPORT),
        helpline("Report Fraud", "0300 123 2040"),
    ],
)

SEXTORTION = AdvicePage(
    slug="sextortion-and-online-blackmail",
    title="Sextortion and online blackmail",
    summary="If someone is threatening to share intimate images of you, do not pay: get help.",
    is_sensitive=True,
    body=[
        emergency(),
        paragraph(
            "Sextortion is when someone threatens to share intimate images or videos of you "
            "unless you pay them or do what they say. It is a crime, and it is not your fault. "
            "You are not in trouble.",
        ),
        heading("What to do"),
        paragraph(
            numbered(
                "Do not pay. If you pay, they are likely to ask for more.",
                "Stop all contact. Do not reply to threats.",
                "Do not delete the messages. Take screenshots of the chat, the profile and any "
                "payment details.",
                "Report the account to the platform.",
                f"Call 101 or {link('report it online', REPORT)}.",
            ),
        ),
        heading("If you are under 18"),
        paragraph(
            "Tell an adult you trust. Childline and the Internet Watch Foundation's Report "
            "Remove tool can help get nude images of you taken down. You will not be in "
            "trouble.",
        ),
        accordion(
            (
                "If images have already been shared",
                "You can get them removed",
                "StopNCII.org can help stop intimate images being shared on many platforms. The "
                "Revenge Porn Helpline supports adults.",
            ),
            (
                "If you feel overwhelmed",
                "Talk to someone now",
                "Call Samaritans on 116 123, free, at any time.",
            ),
        ),
        link_list(
            "Get help",
            CHILDLINE,
            CEOP,
            REVENGE_PORN_HELPLINE,
            STOP_NCII,
            SAMARITANS,
        ),
    ],
)

CYBER_CRIME = Section(
    slug="cyber-crime",
    title="Cyber crime",
    summary="How to protect your accounts and devices, and what to do if you are targeted online.",
    intro="<p>Protect yourself from criminals online, and find out what to do if you have "
    "been hacked or blackmailed. Report cyber crime to Report Fraud on 0300 123 2040.</p>",
    articles=[PROTECT_ONLINE, IF_HACKED, SEXTORTION],
)


# Spiking

WHAT_IS_SPIKING = AdvicePage(
    slug="what-spiking-is-and-the-signs",
    title="What spiking is and the signs",
    summary="What spiking is, the signs to look out for, and how to look after each other.",
    is_sensitive=True,
    body=[
        emergency("If someone is very unwell or unconscious, call 999 for an ambulance."),
        paragraph(
            "Spiking is when someone puts alcohol or drugs into another person's drink or body "
            "without their knowledge or consent. It can also be done with a needle. Spiking is "
            "a crime, and it is never the victim's fault.",
        ),
        heading("Signs of spiking"),
        paragraph(
            bullets(
                "feeling much more drunk than you should, for what you have had",
                "confusion, or losing your balance",
                "feeling sick, sleepy or very unwell",
                "problems with your vision",
                "not remembering what happened",
                "a sharp pain, or a mark on your skin, if a needle was used",
            ),
        ),
        heading("Look after each other"),
        paragraph(
            bullets(
                "Go out with people you trust, and agree how you will all get home.",
                "Keep your drink with you, and do not accept drinks from people you do not know.",
                "If a drink tastes or looks strange, stop drinking it and tell the staff.",
                "Do not leave a friend who seems unwell alone, or with someone you do not know.",
            ),
        ),
        callout(
            "Staff at many pubs, clubs and venues are trained to help. Tell them if you, or "
            "someone you are with, may have been spiked.",
            style="inset",
        ),
        link_list("More advice", DRINKAWARE, NHS_111, VICTIM_SUPPORT),
    ],
)

IF_SPIKED = AdvicePage(
    slug="if-you-think-you-have-been-spiked",
    title="If you think you've been spiked",
    summary="What to do if you think you or a friend has been spiked, and how to report it.",
    is_sensitive=True,
    body=[
        emergency("If you or a friend are very unwell, call 999 for an ambulance."),
        heading("Straight away"),
        paragraph(
            numbered(
                "Tell someone you trust, and a member of staff at the venue.",
                "Stay with friends. Do not go home alone or with someone you do not know.",
                "Get medical help if you feel unwell. Call NHS 111, or go to A&E.",
                "Do not drive.",
            ),
        ),
        heading("Report it as soon as you can"),
        paragraph(
            "Call 101 or "
            + link("report it online", REPORT)
            + ". Some drugs leave the body within 12 hours, so the police may ask to take a "
            "urine or blood sample quickly. Keep the glass or bottle if it is safe to.",
        ),
        paragraph(
            "You will not be in trouble if you had been drinking or had taken drugs yourself. "
            "The police want to find the person who spiked you.",
        ),
        accordion(
            (
                "If you think you were sexually assaulted",
                "Help is available, whatever you decide",
                "A sexual assault referral centre can give you medical care and keep evidence, "
                "even if you are not ready to go to the police. The Rape Crisis 24/7 Support "
                "Line is free on 0808 500 2222.",
            ),
            (
                "If you were spiked with a needle",
                "Get medical advice",
                "Go to A&E or call NHS 111. You may be offered treatment to protect against "
                "infection.",
            ),
            (
                "If you were spiked on a train",
                "Text the railway police",
                "Text 61016 to report incidents on trains and at stations, or call 999 in an "
                "emergency.",
            ),
        ),
        link_list("Get support", RAPE_CRISIS, VICTIM_SUPPORT, NHS_111, DRINKAWARE),
        helpline(
            "Rape Crisis 24/7 Support Line",
            "0808 500 2222",
            "Free and open 24 hours a day",
        ),
    ],
)

SPIKING = Section(
    slug="spiking",
    title="Spiking",
    summary="What spiking is, the signs, and what to do if you think you have been spiked.",
    intro="<p>Spiking is a crime. If you think you or a friend has been spiked, get help and "
    "report it as soon as you can.</p>",
    articles=[WHAT_IS_SPIKING, IF_SPIKED],
    is_sensitive=True,
)


# Stalking and harassment

RECOGNISING_STALKING = AdvicePage(
    slug="recognising-stalking-and-harassment",
    title="Recognising stalking and harassment",
    summary="Stalking is repeated, unwanted behaviour that makes you feel scared: the signs.",
    is_sensitive=True,
    body=[
        emergency(),
        paragraph(
            "Harassment is repeated behaviour that causes you alarm or distress. Stalking is a "
            "form of harassment where someone is fixated or obsessed with you. Both are crimes. "
            "Stalkers are often ex-partners, but can be someone you know a little, or a "
            "stranger.",
        ),
        heading("Signs you are being stalked"),
        paragraph(
            bullets(
                "Someone keeps contacting you when you have asked them not to.",
                "They turn up at your home, work or places you go.",
                "They send you gifts or messages you do not want.",
                "They follow you, or track your phone or car.",
                "They contact your friends, family or colleagues about you.",
                "They post about you online, or set up fake accounts in your name.",
            ),
        ),
        paragraph(
            "If the behaviour is fixated, obsessive, unwanted and repeated, it may be stalking. "
            "Trust your instincts.",
        ),
        accordion(
            (
                "Online stalking",
                "Messages, tracking and fake accounts",
                "Stalking online is as serious as stalking in person. Check your phone and "
                "accounts for tracking apps, and for devices you do not recognise.",
            ),
            (
                "Stalking by an ex-partner",
                "It is a form of domestic abuse",
                "Stalking often continues after a relationship ends. "
                + advice_link(
                    "Read our advice on domestic abuse",
                    "domestic-abuse",
                    "getting-help-and-staying-safe",
                )
                + ".",
            ),
        ),
        link_list("Get help", STALKING_HELPLINE, VICTIM_SUPPORT, DOMESTIC_ABUSE_HELPLINE),
        helpline("National Stalking Helpline", "0808 802 0300"),
    ],
)

HELP_IF_STALKED = AdvicePage(
    slug="getting-help-if-you-are-being-stalked",
    title="Getting help if you're being stalked or harassed",
    summary="How to report stalking, keep evidence, and stay safe while it is investigated.",
    is_sensitive=True,
    body=[
        emergency("If the person is at your home or following you now, call 999."),
        heading("Report it"),
        paragraph(
            f"Call 101 or {link('report it online', REPORT)}. Tell the police if you think it "
            "is stalking. You do not need to wait until it gets worse.",
        ),
        heading("Keep evidence"),
        paragraph(
            bullets(
                "Keep a diary of every incident: the date, time, place and what happened.",
                "Keep messages, emails, voicemails and gifts. Take screenshots of online posts.",
                "Write down the names of anyone who saw what happened.",
                "Do not reply to the person or agree to meet them, even to ask them to stop.",
            ),
        ),
        heading("Stay safe"),
        paragraph(
            bullets(
                "Vary your routes and routines if you can.",
                "Tell people you trust, including at work, what is happening.",
                "Check the privacy settings on your social media, and turn off location sharing.",
                "Keep your phone charged and with you.",
            ),
        ),
        accordion(
            (
                "Court orders that protect you",
                "Stalking Protection Orders",
                "The police can ask a court for a Stalking Protection Order. It can stop the "
                "person contacting you or going near you. Breaking it is a crime.",
            ),
            (
                "If you are harassed on public transport",
                "Trains and stations",
                "On trains and at stations, text the railway police on 61016. In an emergency, "
                "call 999.",
            ),
        ),
        link_list(
            "Get support",
            STALKING_HELPLINE,
            VICTIM_SUPPORT,
            GALOP,
            SAMARITANS,
        ),
        helpline("National Stalking Helpline", "0808 802 0300"),
    ],
)

STALKING_AND_HARASSMENT = Section(
    slug="stalking-and-harassment",
    title="Stalking and harassment",
    summary="How to recognise stalking and harassment, report it, and get support.",
    intro="<p>Stalking and harassment are crimes. If you are being made to feel scared by "
    "someone's repeated behaviour, report it. The National Stalking Helpline is on "
    "0808 802 0300.</p>",
    articles=[RECOGNISING_STALKING, HELP_IF_STALKED],
    is_sensitive=True,
)


SECTIONS = [
    BURGLARY,
    FRAUD,
    VEHICLE_CRIME,
    DOMESTIC_ABUSE,
    HATE_CRIME,
    ANTISOCIAL_BEHAVIOUR,
    MISSING_PERSONS,
    ROAD_SAFETY,
    CYBER_CRIME,
    SPIKING,
    STALKING_AND_HARASSMENT,
]

ADVICE = [article for section in SECTIONS for article in section.articles]
