"""The national demo journeys: road traffic incident, crime, antisocial behaviour, lost property.

Written for this project. Each journey starts with the emergency question, whose "yes" ends the
journey with "Call 999 now". ``national_journeys()`` returns the page data for each (built when
called, in the active language); the demo seed publishes them under the hub's report hub, so
every force site shows them.
"""

from django.utils.translation import gettext as _

from reporting.journey_builder import (
    checkboxes,
    condition,
    date,
    declaration,
    email,
    evidence,
    exit_step,
    group,
    location,
    long_text,
    number,
    phone,
    postcode,
    radios,
    registration,
    rule,
    select,
    short_text,
    step,
    time,
    yes_no,
)


def _emergency_steps():
    return [
        step(
            "emergency",
            yes_no(
                "in_danger",
                _("Is anyone in immediate danger or is a crime happening now?"),
                hint=_(
                    "For example, someone is hurt or being threatened, or a driver is still "
                    "there and behaving dangerously."
                ),
                error_label=_("anyone is in immediate danger or a crime is happening now"),
            ),
            title=_("Is anyone in immediate danger or is a crime happening now?"),
        ),
        exit_step(
            "call-999",
            title=_("Call 999 now"),
            body=_(
                "<p>This is an emergency. Call 999 now and ask for the police.</p>"
                "<p>If you are deaf, hard of hearing or speech-impaired, text 999 if you have "
                "registered with emergencySMS, or call 18000 using the Relay UK app.</p>"
                "<p>If you cannot speak, call 999, listen to the questions and press 55 when "
                "asked: the operator will know you need help.</p>"
            ),
            when=rule("in_danger", "is_yes"),
        ),
    ]


def _your_details(intro=True):
    return step(
        "your-details",
        short_text(
            "your_name", _("Full name"), autocomplete="name", is_contact=True, max_length=120
        ),
        email(
            "your_email",
            _("Email address"),
            hint=_("We will send a confirmation with your reference number to this address."),
            is_contact=True,
        ),
        phone(
            "your_phone",
            _("Telephone number"),
            hint=_("An officer may call you about your report."),
            required=False,
            is_contact=True,
        ),
        title=_("Your details"),
        intro=(
            _(
                "<p>We need these to keep you updated and in case we need to ask you more "
                "about your report.</p>"
            )
            if intro
            else ""
        ),
    )


def _contact_times():
    return step(
        "contact-times",
        checkboxes(
            "contact_times",
            [
                ("morning", _("Mornings")),
                ("afternoon", _("Afternoons")),
                ("evening", _("Evenings")),
            ],
            _("When is it best to contact you?"),
            hint=_("Select all that apply."),
            required=False,
        ),
        title=_("When is it best to contact you?"),
    )


def _declaration():
    return step(
        "declaration",
        declaration(
            "statement_of_truth",
            _("Declaration"),
            text=_(
                "<p>The information I have given is true to the best of my knowledge. I "
                "understand that knowingly making a false report to the police is an "
                "offence.</p>"
            ),
            confirm_label=_("I confirm that this is true"),
        ),
        title=_("Declaration"),
    )


def road_traffic_incident():
    return {
        "title": _("Report a road traffic incident"),
        "slug": "road-traffic-incident",
        "code": "RTI",
        "summary": _("A collision, or dangerous or careless driving, that has already happened."),
        "before_you_start": _(
            "<p>Use this to report a road traffic collision or dangerous driving that is not "
            "happening now.</p><p>You will need:</p><ul><li>the date, time and place</li>"
            "<li>the registration numbers of the vehicles involved, if you have them</li>"
            "<li>any dashcam footage or photos</li></ul><p>It takes about 10 minutes.</p>"
        ),
        "what_happens_next": _(
            "<p>We will look at your report within 5 working days. If we need more "
            "information, an officer will contact you.</p><p>If you were involved in a "
            "collision and could not exchange details at the scene, this report meets your "
            "legal duty to report it to the police.</p>"
        ),
        "steps": [
            *_emergency_steps(),
            step(
                "what-happened",
                radios(
                    "incident_type",
                    [
                        ("collision", _("A collision between vehicles")),
                        ("collision-other", _("A vehicle hit a person, an animal or property")),
                        ("dangerous-driving", _("Dangerous or careless driving, no collision")),
                        ("failed-to-stop", _("A driver failed to stop after a collision")),
                    ],
                    _("What happened?"),
                    error_label=_("what happened"),
                ),
                title=_("What happened?"),
            ),
            step(
                "injuries",
                yes_no(
                    "anyone_injured",
                    _("Was anyone injured?"),
                    hint=_("Include minor injuries such as whiplash, cuts or bruises."),
                    error_label=_("anyone was injured"),
                ),
                title=_("Was anyone injured?"),
                when=rule(
                    "incident_type", "one_of", ["collision", "collision-other", "failed-to-stop"]
                ),
            ),
            step(
                "injury-details",
                long_text(
                    "injury_details",
                    _("Tell us about the injuries"),
                    hint=_("Who was hurt and how. Say if anyone went to hospital."),
                    max_characters=1200,
                    error_label=_("the injuries"),
                ),
                title=_("Tell us about the injuries"),
                when=rule("anyone_injured", "is_yes"),
            ),
            step(
                "when",
                date(
                    "incident_date",
                    _("Date of the incident"),
                    hint=_("For example, 27 3 2026"),
                    error_label=_("the date of the incident"),
                ),
                time(
                    "incident_time",
                    _("Time of the incident"),
                    hint=_(
                        "For example, 9:30am or 17:45. Give your best guess if you are not sure."
                    ),
                    error_label=_("the time of the incident"),
                ),
                title=_("When did it happen?"),
            ),
            step(
                "where",
                location(
                    "incident_location",
                    _("Where did it happen?"),
                    hint=_(
                        "Give the road name, the town, and a landmark such as a junction, a "
                        "shop or a bus stop."
                    ),
                    error_label=_("where it happened"),
                ),
                postcode("incident_postcode", _("Postcode, if you know it"), required=False),
                title=_("Where did it happen?"),
            ),
            step(
                "vehicles",
                group(
                    "vehicles",
                    registration(
                        "registration",
                        _("Registration number"),
                        error_label=_("the registration number"),
                    ),
                    short_text(
                        "make_model",
                        _("Make, model and colour"),
                        hint=_("For example, blue Ford Focus"),
                        required=False,
                    ),
                    radios(
                        "whose_vehicle",
                        [
                            ("mine", _("I was driving it")),
                            ("passenger", _("I was a passenger in it")),
                            ("other", _("Someone else was driving it")),
                        ],
                        _("Who was in this vehicle?"),
                        error_label=_("who was in this vehicle"),
                    ),
                    label=_("Vehicles involved"),
                    item_label=_("vehicle"),
                    min_items=1,
                    max_items=6,
                ),
                title=_("Vehicles involved"),
                intro=_("<p>Include your own vehicle if you were driving.</p>"),
            ),
            step(
                "description",
                long_text(
                    "description",
                    _("Describe what happened"),
                    hint=_(
                        "In your own words: the order things happened in, what the drivers did, "
                        "and anything that was said."
                    ),
                    max_characters=3000,
                    error_label=_("what happened"),
                ),
                title=_("Describe what happened"),
            ),
            step(
                "dashcam",
                evidence(
                    "dashcam",
                    _("Upload dashcam footage or photos (optional)"),
                    hint=_(
                        "Up to 5 files: MP4 or MOV videos, JPG, PNG or HEIC photos. Please do "
                        "not post footage on social media: it could harm a prosecution."
                    ),
                    required=False,
                    max_files=5,
                    accepted_kinds=["images", "video"],
                ),
                title=_("Dashcam footage or photos"),
            ),
            _your_details(),
            _contact_times(),
            _declaration(),
        ],
    }


def crime():
    return {
        "title": _("Report a crime"),
        "slug": "crime",
        "code": "CRM",
        "summary": _(
            "Theft, burglary, criminal damage and other crimes that are not happening now."
        ),
        "before_you_start": _(
            "<p>It takes about 15 minutes. You can upload photos or documents.</p>"
        ),
        "what_happens_next": _(
            "<p>We will assess your report and contact you within 5 working days if we need "
            "more information. You may be offered support from Victim Support.</p>"
        ),
        "steps": [
            *_emergency_steps(),
            step(
                "crime-type",
                select(
                    "crime_type",
                    [
                        ("theft", _("Theft")),
                        ("burglary", _("Burglary")),
                        ("criminal-damage", _("Criminal damage or graffiti")),
                        ("vehicle-crime", _("Theft of or from a vehicle")),
                        ("assault", _("Assault with no injury")),
                        ("fraud", _("Fraud or a scam")),
                        ("other", _("Something else")),
                    ],
                    _("What type of crime are you reporting?"),
                    error_label=_("the type of crime"),
                ),
                title=_("What type of crime are you reporting?"),
            ),
            exit_step(
                "report-fraud",
                title=_("Report fraud to Report Fraud"),
                body=_(
                    "<p>Fraud and cybercrime are reported to Report Fraud, the national "
                    "reporting service, at reportfraud.police.uk or by calling 0300 123 2040.</p>"
                ),
                when=rule("crime_type", "equals", "fraud"),
            ),
            step(
                "when",
                date(
                    "crime_date",
                    _("Date it happened"),
                    hint=_("If you do not know, give the date you noticed. For example, 27 3 2026"),
                    error_label=_("the date it happened"),
                ),
                time("crime_time", _("Time it happened"), required=False),
                title=_("When did it happen?"),
            ),
            step(
                "where",
                location("crime_location", _("Where did it happen?")),
                title=_("Where did it happen?"),
            ),
            step(
                "stolen",
                long_text(
                    "stolen_items",
                    _("What was stolen?"),
                    hint=_("Describe each item, with any serial numbers or markings."),
                    max_characters=1500,
                ),
                number(
                    "stolen_value",
                    _("Rough total value"),
                    prefix="£",
                    required=False,
                    min_value=0,
                    max_value=10_000_000,
                ),
                title=_("What was stolen?"),
                when=rule("crime_type", "one_of", ["theft", "burglary", "vehicle-crime"]),
            ),
            step(
                "suspect",
                yes_no(
                    "knows_suspect",
                    _("Do you know who did it, or could you describe them?"),
                    error_label=_("you know who did it"),
                ),
                title=_("Do you know who did it?"),
            ),
            step(
                "suspect-details",
                long_text(
                    "suspect_details",
                    _("Tell us about the person or people"),
                    hint=_("Names, descriptions, clothing, vehicles, where they went."),
                    max_characters=2000,
                ),
                title=_("Tell us about the person or people"),
                when=rule("knows_suspect", "is_yes"),
            ),
            step(
                "description",
                long_text("description", _("Describe what happened"), max_characters=3000),
                title=_("Describe what happened"),
            ),
            step(
                "evidence",
                evidence(
                    "crime_evidence",
                    _("Upload photos or documents (optional)"),
                    hint=_("For example photos of damage, receipts or CCTV stills. Up to 5 files."),
                    required=False,
                    max_files=5,
                ),
                title=_("Photos or documents"),
            ),
            _your_details(),
            _contact_times(),
            _declaration(),
        ],
    }


def antisocial_behaviour():
    return {
        "title": _("Report antisocial behaviour"),
        "slug": "antisocial-behaviour",
        "code": "ASB",
        "summary": _(
            "Noise, nuisance vehicles, drug use, intimidation and other behaviour that harms "
            "your community."
        ),
        "before_you_start": _("<p>It takes about 5 minutes.</p>"),
        "what_happens_next": _(
            "<p>Your neighbourhood policing team will review your report. We may work with "
            "the council or your landlord to stop it.</p>"
        ),
        "steps": [
            *_emergency_steps(),
            step(
                "asb-type",
                checkboxes(
                    "asb_type",
                    [
                        ("noise", _("Noise or rowdy behaviour")),
                        ("vehicles", _("Nuisance vehicles or off-road bikes")),
                        ("drugs", _("Drug use or dealing")),
                        ("intimidation", _("Intimidation or harassment")),
                        ("fly-tipping", _("Littering or fly-tipping")),
                    ],
                    _("What is happening?"),
                    hint=_("Select all that apply."),
                    error_label=_("what is happening"),
                ),
                title=_("What is happening?"),
            ),
            step(
                "council",
                yes_no(
                    "tell_police_too",
                    _("Do you also want to tell the police about the fly-tipping?"),
                    hint=_(
                        "Your local council deals with littering and fly-tipping. Tell us as "
                        "well if it is linked to other antisocial behaviour."
                    ),
                    error_label=_("you also want to tell the police"),
                ),
                title=_("Littering and fly-tipping"),
                when=condition(rule("asb_type", "equals", "fly-tipping")),
            ),
            step(
                "how-often",
                radios(
                    "frequency",
                    [
                        ("once", _("It happened once")),
                        ("weekly", _("Every week")),
                        ("daily", _("Every day or most days")),
                    ],
                    _("How often does it happen?"),
                ),
                title=_("How often does it happen?"),
            ),
            step(
                "where",
                location("asb_location", _("Where does it happen?")),
                postcode("asb_postcode", _("Postcode, if you know it"), required=False),
                title=_("Where does it happen?"),
            ),
            step(
                "description",
                long_text("description", _("Describe what is happening"), max_characters=2000),
                title=_("Describe what is happening"),
            ),
            _your_details(),
        ],
    }


def lost_property():
    return {
        "title": _("Report lost property"),
        "slug": "lost-property",
        "code": "LP",
        "summary": _("Something you have lost, so we can return it if it is handed in."),
        "before_you_start": _(
            "<p>It takes about 5 minutes. The better you describe your item, the more likely "
            "we can match it to something handed in.</p>"
        ),
        "what_happens_next": _("<p>If your property is handed in to us, we will contact you.</p>"),
        "steps": [
            *_emergency_steps(),
            step(
                "what",
                select(
                    "item_type",
                    [
                        ("phone", _("Mobile phone")),
                        ("wallet", _("Wallet or purse")),
                        ("bag", _("Bag")),
                        ("keys", _("Keys")),
                        ("jewellery", _("Jewellery")),
                        ("document", _("Passport or driving licence")),
                        ("other", _("Something else")),
                    ],
                    _("What have you lost?"),
                ),
                long_text(
                    "item_description",
                    _("Describe it"),
                    hint=_("Make, colour, serial or IMEI number, distinctive marks."),
                    max_characters=800,
                ),
                title=_("What have you lost?"),
            ),
            exit_step(
                "passport",
                title=_("Report a lost passport or driving licence online"),
                body=_(
                    "<p>Report a lost or stolen passport to HM Passport Office on GOV.UK. "
                    "Report a lost driving licence to the DVLA.</p>"
                ),
                when=rule("item_type", "equals", "document"),
            ),
            step(
                "when-where",
                date("lost_date", _("Date you lost it"), error_label=_("the date you lost it")),
                location(
                    "lost_location",
                    _("Where did you lose it?"),
                    hint=_("As best you can: a street, a shop, a bus route."),
                    required=False,
                ),
                yes_no(
                    "think_stolen",
                    _("Do you think it was stolen?"),
                    error_label=_("you think it was stolen"),
                ),
                title=_("When and where did you lose it?"),
            ),
            exit_step(
                "stolen",
                title=_("Report it as a crime instead"),
                body=_(
                    "<p>If you think it was stolen, report a crime so that we can investigate.</p>"
                ),
                when=rule("think_stolen", "is_yes"),
            ),
            _your_details(intro=False),
        ],
    }


def national_journeys():
    """Page data for every demo journey, in the order they appear on the report hub."""
    return [road_traffic_incident(), crime(), antisocial_behaviour(), lost_property()]
