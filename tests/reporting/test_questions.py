"""Every question type through the form of its step: good input stored, bad input refused with a
clear GOV.UK-style message (never an exception), and the markup the public see."""

import datetime
import io
import struct

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import QueryDict
from django.template import Context, Template
from django.utils import timezone, translation

import pytest
from PIL import Image

from reporting.validators import (
    check_evidence_file,
    format_phone,
    normalise_phone,
    normalise_postcode,
    normalise_registration,
    parse_time,
)
from tests.reporting.journeys import (
    checkboxes,
    date,
    declaration,
    email,
    evidence,
    group,
    location,
    long_text,
    make_journey,
    number,
    phone,
    postcode,
    radios,
    registration,
    select,
    short_text,
    step,
    time,
    yes_no,
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def form_for(*questions, data=None, files=None, answers=None):
    journey = make_journey(step("only", *questions))
    return journey.step("only").form(data=data, files=files, answers=answers)


def submit(question, data, answers=None, files=None):
    """Post ``data`` to a one-question step; (answers or None, error summary)."""
    form = form_for(question, data=data, files=files, answers=answers)
    if form.is_valid():
        return form.answers(), []
    return None, form.error_summary()


def answer(question, data):
    answers, errors = submit(question, data)
    assert errors == [], errors
    (value,) = answers.values()
    return value


def errors_of(question, data):
    answers, errors = submit(question, data)
    assert answers is None, answers
    return [message for _href, message in errors]


# --- text ----------------------------------------------------------------------------------------


class TestShortText:
    def test_stores_trimmed_text(self):
        assert answer(short_text("make"), {"make": "  Ford   Focus "}) == "Ford Focus"

    def test_required_names_the_answer(self):
        question = short_text("make", error_label="the make of the vehicle")
        assert errors_of(question, {"make": "  "}) == ["Enter the make of the vehicle"]

    def test_required_names_the_answer_by_its_label(self):
        assert errors_of(short_text("make", "Make of vehicle"), {}) == ["Enter make of vehicle"]
        assert errors_of(short_text("licence", "UK driving licence number"), {}) == [
            "Enter UK driving licence number"
        ]

    def test_required_with_a_question_for_a_label_is_general(self):
        assert errors_of(short_text("make", "What make was it?"), {}) == ["Enter an answer"]

    def test_optional_blank_is_stored_as_none(self):
        assert answer(short_text("make", required=False), {"make": ""}) is None

    def test_too_long(self):
        question = short_text("make", max_length=10, error_label="the make")
        assert errors_of(question, {"make": "x" * 11}) == ["The make must be 10 characters or less"]
        assert answer(question, {"make": "x" * 10}) == "x" * 10

    def test_contact_name_gets_autocomplete(self):
        form = form_for(short_text("name", is_contact=True))
        html = form.render_questions()
        assert 'autocomplete="name"' in html
        assert 'spellcheck="false"' in html


class TestLongText:
    def test_character_count_counts_new_lines_once(self):
        question = long_text("what", max_characters=10)
        # Browsers send CR LF: "abcd\r\nefgh" is 9 characters as the reporter sees it.
        assert answer(question, {"what": "abcd\r\nefgh"}) == "abcd\nefgh"

    def test_over_the_limit(self):
        question = long_text("what", max_characters=10, error_label="what happened")
        assert errors_of(question, {"what": "x" * 11}) == [
            "What happened must be 10 characters or less"
        ]

    def test_markup_is_the_govuk_character_count(self):
        form = form_for(long_text("what", max_characters=300, hint="In your own words"))
        html = str(form.render_questions())
        assert 'data-module="govuk-character-count"' in html
        assert 'data-maxlength="300"' in html
        assert "govuk-js-character-count" in html
        assert 'aria-describedby="what-info what-hint"' in html
        assert "You can enter up to 300 characters" in html

    def test_location_has_a_landmark_hint_and_its_own_message(self):
        question = location("where", "Where?", hint="Give the road name and any landmarks")
        assert errors_of(question, {"where": ""}) == ["Enter where it happened"]
        assert "landmarks" in str(form_for(question).render_questions())


class TestNumber:
    def test_whole_number_with_commas(self):
        assert answer(number("people"), {"people": "1,200"}) == 1200

    def test_not_a_number(self):
        assert errors_of(
            number("people", error_label="the number of people"), {"people": "lots"}
        ) == ["The number of people must be a number"]

    def test_whole_numbers_only(self):
        assert errors_of(number("people", "How many?"), {"people": "2.5"}) == [
            "Your answer must be a whole number"
        ]
        assert errors_of(number("people", "Number of people"), {"people": "2.5"}) == [
            "Number of people must be a whole number"
        ]

    def test_decimals_when_allowed(self):
        question = number("cost", whole_numbers=False, prefix="£")
        assert answer(question, {"cost": "£12.50"}) == 12.5

    @pytest.mark.parametrize(
        ("value", "message"),
        [
            ("0", "The number of people must be between 1 and 50"),
            ("51", "The number of people must be between 1 and 50"),
        ],
    )
    def test_range(self, value, message):
        question = number("people", min_value=1, max_value=50, error_label="the number of people")
        assert errors_of(question, {"people": value}) == [message]

    def test_minimum_only(self):
        assert errors_of(number("people", "How many?", min_value=1), {"people": "-3"}) == [
            "Your answer must be 1 or more"
        ]

    def test_infinity_and_exponents_are_not_numbers(self):
        for value in ("inf", "NaN", "1e9"):
            assert errors_of(number("people", "How many?"), {"people": value}) == [
                "Your answer must be a number"
            ]

    def test_display_with_suffix(self):
        question = make_journey(step("s", number("people", suffix="people"))).questions["people"]
        assert question.display(1200) == "1,200 people"


# --- dates and times ------------------------------------------------------------------------------


def date_data(day, month, year, name="when"):
    return {f"{name}-day": day, f"{name}-month": month, f"{name}-year": year}


class TestDate:
    question = staticmethod(lambda **kw: date("when", error_label="the date of the incident", **kw))

    def test_accepts_numbers_with_or_without_zeros(self):
        assert answer(self.question(), date_data("01", "2", "2024")) == "2024-02-01"
        assert answer(self.question(), date_data("1", "02", "2024")) == "2024-02-01"

    @pytest.mark.parametrize("month", ["jan", "January", "JAN", "Ionawr"])
    def test_accepts_month_names(self, month):
        assert answer(self.question(), date_data("5", month, "2024")) == "2024-01-05"

    def test_nothing_entered(self):
        assert errors_of(self.question(), date_data("", "", "")) == [
            "Enter the date of the incident"
        ]

    @pytest.mark.parametrize(
        ("data", "message", "href"),
        [
            (("", "2", "2024"), "The date of the incident must include a day", "#when-day"),
            (("1", "", "2024"), "The date of the incident must include a month", "#when-month"),
            (("1", "2", ""), "The date of the incident must include a year", "#when-year"),
            (
                ("", "", "2024"),
                "The date of the incident must include a day and month",
                "#when-day",
            ),
            (("", "2", ""), "The date of the incident must include a day and year", "#when-day"),
            (
                ("1", "", ""),
                "The date of the incident must include a month and year",
                "#when-month",
            ),
        ],
    )
    def test_missing_parts_are_named_and_linked(self, data, message, href):
        _answers, summary = submit(self.question(), date_data(*data))
        assert summary == [(href, message)]

    @pytest.mark.parametrize(
        ("data", "href"),
        [
            (("31", "2", "2024"), "#when-day"),
            (("30", "13", "2024"), "#when-month"),
            (("32", "1", "2024"), "#when-day"),
            (("x", "1", "2024"), "#when-day"),
            (("1", "smarch", "2024"), "#when-month"),
        ],
    )
    def test_impossible_dates(self, data, href):
        _answers, summary = submit(self.question(), date_data(*data))
        assert summary == [(href, "The date of the incident must be a real date")]

    def test_year_must_have_four_digits(self):
        assert errors_of(self.question(), date_data("1", "2", "24")) == [
            "The year must include 4 numbers"
        ]

    def test_incident_date_cannot_be_in_the_future(self):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)
        data = date_data(str(tomorrow.day), str(tomorrow.month), str(tomorrow.year))
        assert errors_of(self.question(), data) == [
            "The date of the incident must be today or in the past"
        ]

    def test_today_is_allowed(self):
        today = timezone.localdate()
        data = date_data(str(today.day), str(today.month), str(today.year))
        assert answer(self.question(), data) == today.isoformat()

    def test_future_dates_when_allowed(self):
        question = date("appointment", not_in_future=False)
        future = timezone.localdate() + datetime.timedelta(days=400)
        data = date_data(str(future.day), str(future.month), str(future.year), "appointment")
        assert answer(question, data) == future.isoformat()

    def test_not_before_a_number_of_years_ago(self):
        question = self.question(max_years_ago=1)
        old = timezone.localdate() - datetime.timedelta(days=800)
        (message,) = errors_of(question, date_data(str(old.day), str(old.month), str(old.year)))
        assert message.startswith("The date of the incident must be the same as or after ")

    def test_error_marks_only_the_parts_at_fault(self):
        form = form_for(self.question(), data=date_data("", "2", "2024"))
        assert not form.is_valid()
        html = str(form.render_questions())
        assert 'govuk-input--width-2 govuk-input--error" id="when-day"' in html
        assert 'govuk-input--width-2" id="when-month"' in html
        assert "govuk-form-group--error" in html

    def test_markup_is_the_govuk_date_input(self):
        form = form_for(self.question(), answers={"when": "2024-02-01"})
        html = str(form.render_questions())
        assert '<fieldset class="govuk-fieldset" role="group">' in html
        assert '<h1 class="govuk-fieldset__heading">' in html  # the only question: the heading
        assert 'name="when-day" type="text" inputmode="numeric" value="1"' in html
        assert 'name="when-year" type="text" inputmode="numeric" value="2024"' in html

    def test_display(self):
        question = make_journey(step("s", self.question())).questions["when"]
        assert question.display("2026-11-25") == "25 November 2026"


class TestTime:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("14:30", "14:30"),
            ("2:30pm", "14:30"),
            ("2.30 PM", "14:30"),
            ("2pm", "14:00"),
            ("12am", "00:00"),
            ("12pm", "12:00"),
            ("midday", "12:00"),
            ("Midnight", "00:00"),
            ("0930", "09:30"),
            ("9:05am", "09:05"),
        ],
    )
    def test_accepts_what_people_type(self, typed, stored):
        assert answer(time("at"), {"at": typed}) == stored

    @pytest.mark.parametrize("typed", ["25:00", "13pm", "14", "half two", "9:60", "0:00pm"])
    def test_refuses_what_is_not_a_time(self, typed):
        assert errors_of(time("at"), {"at": typed}) == [
            "Enter a real time, like 9:15am, 14:30 or midday"
        ]

    def test_display_and_initial(self):
        question = make_journey(step("s", time("at"))).questions["at"]
        assert question.display("14:30") == "2:30pm"
        assert question.display("09:00") == "9am"
        assert question.display("12:00") == "midday"
        form = form_for(time("at"), answers={"at": "14:30"})
        assert 'value="2:30pm"' in str(form.render_questions())

    def test_parse_time_directly(self):
        assert parse_time("noon") == datetime.time(12, 0)
        assert parse_time("") is None


# --- choices -------------------------------------------------------------------------------------

VEHICLES = [("car", "Car"), ("van", "Van or lorry", "Including pick-ups"), ("bike", "Motorbike")]


class TestYesNo:
    def test_yes_and_no_are_booleans(self):
        assert answer(yes_no("injured"), {"injured": "yes"}) is True
        assert answer(yes_no("injured"), {"injured": "no"}) is False

    def test_required_says_what_yes_means(self):
        question = yes_no("injured", error_label="anyone was injured")
        assert errors_of(question, {}) == ["Select yes if anyone was injured"]

    def test_required_without_a_name(self):
        assert errors_of(yes_no("injured"), {"injured": "maybe"}) == ["Select yes or no"]

    def test_markup_is_inline_radios_with_the_answer_checked(self):
        form = form_for(yes_no("injured"), answers={"injured": False})
        html = str(form.render_questions())
        assert "govuk-radios govuk-radios--inline" in html
        assert 'id="injured" name="injured" type="radio" value="yes">' in html
        assert 'id="injured-2" name="injured" type="radio" value="no" checked>' in html


class TestRadios:
    def test_stores_the_option_value(self):
        assert answer(radios("vehicle", VEHICLES), {"vehicle": "van"}) == "van"

    def test_nothing_or_something_not_offered(self):
        question = radios("vehicle", VEHICLES, error_label="the type of vehicle")
        assert errors_of(question, {}) == ["Select the type of vehicle"]
        assert errors_of(question, {"vehicle": "tank"}) == ["Select the type of vehicle"]

    def test_display_is_the_label(self):
        question = make_journey(step("s", radios("vehicle", VEHICLES))).questions["vehicle"]
        assert question.display("van") == "Van or lorry"

    def test_option_hints_are_described(self):
        html = str(form_for(radios("vehicle", VEHICLES)).render_questions())
        assert 'aria-describedby="vehicle-2-item-hint"' in html
        assert '<div id="vehicle-2-item-hint" class="govuk-hint govuk-radios__hint">' in html


class TestCheckboxes:
    def test_stores_ticked_values_in_option_order(self):
        data = QueryDict(mutable=True)
        data.setlist("kind", ["bike", "car"])
        assert answer(checkboxes("kind", VEHICLES), data) == ["car", "bike"]

    def test_required(self):
        assert errors_of(checkboxes("kind", VEHICLES, "Which?"), {}) == [
            "Select at least one option"
        ]
        assert errors_of(checkboxes("kind", VEHICLES, "Vehicles involved"), {}) == [
            "Select vehicles involved"
        ]

    def test_optional_blank_is_an_empty_list(self):
        assert answer(checkboxes("kind", VEHICLES, required=False), {}) == []

    def test_none_of_these_is_exclusive(self):
        question = checkboxes("kind", VEHICLES, "Which?", none_option_label="None of these")
        data = QueryDict(mutable=True)
        data.setlist("kind", ["car", "none"])
        assert errors_of(question, data) == [
            "Select the options that apply, or select ‘None of these’"
        ]
        assert answer(question, {"kind": "none"}) == ["none"]

    def test_markup(self):
        question = checkboxes("kind", VEHICLES, none_option_label="None of these")
        html = str(form_for(question, answers={"kind": ["van"]}).render_questions())
        assert 'data-module="govuk-checkboxes"' in html
        assert 'id="kind-2" name="kind" type="checkbox" value="van" checked' in html
        assert '<div class="govuk-checkboxes__divider">or</div>' in html
        assert 'value="none" data-behaviour="exclusive"' in html

    def test_display_one_a_line(self):
        question = make_journey(step("s", checkboxes("kind", VEHICLES))).questions["kind"]
        assert question.display(["car", "bike"]) == "Car\nMotorbike"


class TestSelect:
    def test_select(self):
        assert answer(select("vehicle", VEHICLES), {"vehicle": "car"}) == "car"
        assert errors_of(select("vehicle", VEHICLES, "Which?"), {"vehicle": ""}) == [
            "Select an option"
        ]
        html = str(
            form_for(select("vehicle", VEHICLES), answers={"vehicle": "bike"}).render_questions()
        )
        assert '<option value="bike" selected>Motorbike</option>' in html


# --- contact details -----------------------------------------------------------------------------


class TestEmail:
    def test_normalises_the_domain(self):
        assert (
            answer(email("email"), {"email": " Jo.Bloggs@Example.COM "}) == "Jo.Bloggs@example.com"
        )

    @pytest.mark.parametrize("typed", ["jo", "jo@", "@example.com", "jo@example", "jo @x.com"])
    def test_refuses_bad_addresses(self, typed):
        assert errors_of(email("email"), {"email": typed}) == [
            "Enter an email address in the correct format, like name@example.com"
        ]

    def test_required(self):
        assert errors_of(email("email", "What is your email address?"), {}) == [
            "Enter an email address"
        ]
        assert errors_of(email("email", "Email address"), {}) == ["Enter email address"]

    def test_contact_address_autocompletes(self):
        assert 'type="email"' in str(form_for(email("email", is_contact=True)).render_questions())
        assert 'autocomplete="email"' in str(
            form_for(email("email", is_contact=True)).render_questions()
        )
        assert 'autocomplete="off"' in str(
            form_for(email("email", is_contact=False)).render_questions()
        )


class TestPhone:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("07700 900 982", "+447700900982"),
            ("01632 960 001", "+441632960001"),
            ("+44 808 157 0192", "+448081570192"),
            ("020 7946 0000", "+442079460000"),
            ("0044 20 7946 0000", "+442079460000"),
            ("+1 202 555 0143", "+12025550143"),
        ],
    )
    def test_stores_e164(self, typed, stored):
        assert answer(phone("phone"), {"phone": typed}) == stored

    @pytest.mark.parametrize("typed", ["999", "07700 900", "phone me", "0123", "+44 1"])
    def test_refuses_numbers_that_cannot_be_real(self, typed):
        assert errors_of(phone("phone"), {"phone": typed}) == [
            "Enter a telephone number, like 01632 960 001, 07700 900 982 or +44 808 157 0192"
        ]

    def test_shown_in_national_format(self):
        assert format_phone("+447700900982") == "07700 900982"
        assert format_phone("+12025550143") == "+1 202-555-0143"
        form = form_for(phone("phone"), answers={"phone": "+447700900982"})
        assert 'value="07700 900982"' in str(form.render_questions())
        assert normalise_phone("07700 900982") == "+447700900982"


class TestPostcode:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("rg1 1aa", "RG1 1AA"),
            ("RG11AA", "RG1 1AA"),
            ("sw1a 1aa", "SW1A 1AA"),
            (" M1  1AE ", "M1 1AE"),
            ("EC1A 1BB", "EC1A 1BB"),
            ("W1A 0AX", "W1A 0AX"),
            ("gir 0aa", "GIR 0AA"),
        ],
    )
    def test_normalised(self, typed, stored):
        assert answer(postcode("postcode"), {"postcode": typed}) == stored

    @pytest.mark.parametrize("typed", ["RG1", "12345", "QA1 1AA", "RG1 1CA", "RG1 1AAA", "post"])
    def test_refuses_what_is_not_a_postcode(self, typed):
        assert errors_of(postcode("postcode"), {"postcode": typed}) == [
            "Enter a real postcode, like RG1 1AA"
        ]

    def test_autocomplete_only_for_the_reporters_own(self):
        own = str(form_for(postcode("postcode", is_reporter_address=True)).render_questions())
        elsewhere = str(form_for(postcode("postcode")).render_questions())
        assert 'autocomplete="postal-code"' in own
        assert 'autocomplete="off"' in elsewhere
        assert 'spellcheck="false"' in elsewhere


class TestRegistration:
    @pytest.mark.parametrize(
        ("typed", "stored"),
        [
            ("ab12cde", "AB12 CDE"),  # current
            ("AB12 CDE", "AB12 CDE"),
            ("a123bcd", "A123 BCD"),  # prefix
            ("abc123d", "ABC 123D"),  # suffix
            ("1 a", "1 A"),  # dateless
            ("ABC 1234", "ABC 1234"),  # dateless / Northern Ireland
            ("aiz 1234", "AIZ 1234"),  # Northern Ireland
            ("1234 AB", "1234 AB"),
        ],
    )
    def test_normalised(self, typed, stored):
        assert answer(registration("reg"), {"reg": typed}) == stored

    @pytest.mark.parametrize("typed", ["AB12CDEF", "1234567", "ABCD", "!!", "AB12 C3E"])
    def test_refuses_what_is_not_a_registration(self, typed):
        assert errors_of(registration("reg"), {"reg": typed}) == [
            "Enter a vehicle registration, like AB12 CDE"
        ]

    def test_markup(self):
        html = str(form_for(registration("reg")).render_questions())
        assert 'spellcheck="false"' in html
        assert "govuk-input--extra-letter-spacing" in html

    def test_normalisers_directly(self):
        assert normalise_registration("") is None
        assert normalise_postcode(None) is None


class TestDeclaration:
    def test_must_be_ticked(self):
        assert errors_of(declaration(), {}) == ["Select the box to confirm the declaration"]
        assert answer(declaration(), {"declaration": "yes"}) is True

    def test_markup(self):
        html = str(form_for(declaration()).render_questions())
        assert "Knowingly making a false report is an offence." in html
        assert 'id="declaration" name="declaration" type="checkbox" value="yes"' in html


# --- a step with several questions --------------------------------------------------------------


class TestSeveralQuestions:
    def test_summary_links_each_error_to_its_first_input_in_page_order(self):
        form = form_for(
            short_text("name", error_label="your name"),
            date("when", "When?"),
            radios("vehicle", VEHICLES, "Which?"),
            data={"when-day": "1"},
        )
        assert not form.is_valid()
        assert form.error_summary() == [
            ("#name", "Enter your name"),
            ("#when-month", "The date must include a month and year"),
            ("#vehicle", "Select an option"),
        ]

    def test_labels_are_not_headings(self):
        form = form_for(short_text("name"), email("email"))
        html = str(form.render_questions())
        assert "<h1" not in html
        assert 'class="govuk-label govuk-label--s" for="name"' in html

    def test_a_single_question_with_an_introduction_is_not_the_heading(self):
        journey = make_journey(step("only", short_text("name"), intro="<p>About you</p>"))
        only = journey.step("only")
        assert not only.label_is_heading
        assert "<h1" not in str(only.form().render_questions())

    def test_caption_goes_inside_the_heading(self):
        form = form_for(short_text("name"))
        html = str(form.render_questions(caption="Report a road traffic incident"))
        assert (
            '<span class="govuk-caption-l">Report a road traffic incident</span>Name</label>'
            in html
        )

    def test_answers_already_given_are_shown_again(self):
        form = form_for(short_text("name"), answers={"name": "Jo Bloggs"})
        assert not form.is_bound
        assert 'value="Jo Bloggs"' in str(form.render_questions())

    def test_typed_values_are_shown_back_escaped_after_an_error(self):
        form = form_for(
            short_text("name"), email("email"), data={"name": '<script>"x"</script>', "email": "x"}
        )
        assert not form.is_valid()
        html = str(form.render_questions())
        assert "<script>" not in html
        assert "&lt;script&gt;&quot;x&quot;&lt;/script&gt;" in html
        assert '<span class="govuk-visually-hidden">Error:</span> Enter an email address' in html

    def test_include_of_template_name_renders_the_question_of_the_form(self):
        form = form_for(short_text("name"), email("email"))
        template = Template(
            "{% for question in step.questions %}"
            "{% include question.template_name with question=question form=form single=False %}"
            "{% endfor %}"
        )
        html = template.render(Context({"step": form.step, "form": form}))
        assert html == str(form.render_questions())


# --- repeating groups ----------------------------------------------------------------------------


def vehicles(**options):
    options.setdefault("item_label", "vehicle")
    return group(
        "vehicles",
        registration("reg", error_label="the registration"),
        short_text("make", required=False),
        **options,
    )


class TestGroup:
    def test_shows_the_fewest_items_to_start_with(self):
        form = form_for(vehicles(min_items=2))
        assert form.group_items("vehicles") == 2
        html = str(form.render_questions())
        assert "Vehicle 1" in html and "Vehicle 2" in html
        assert 'name="vehicles-count" value="2"' in html
        assert 'value="remove:vehicles:1"' not in html  # cannot go below the fewest
        assert 'value="add:vehicles">Add another vehicle</button>' in html

    def test_add_another_shows_one_more_without_errors(self):
        data = {"vehicles-count": "1", "vehicles-1-reg": "", "action": "add:vehicles"}
        form = form_for(vehicles(), data=data)
        assert form.action == "add:vehicles"
        assert not form.is_valid()
        assert form.errors == {}
        assert form.group_items("vehicles") == 2
        assert 'id="vehicles-2-reg"' in str(form.render_questions())

    def test_cannot_add_beyond_the_most(self):
        data = {"vehicles-count": "2", "action": "add:vehicles"}
        form = form_for(vehicles(max_items=2), data=data)
        assert form.group_items("vehicles") == 2
        assert "add:vehicles" not in str(form.render_questions())

    def test_remove_moves_the_later_items_up(self):
        data = {
            "vehicles-count": "3",
            "vehicles-1-reg": "AB12CDE",
            "vehicles-2-reg": "BC23DEF",
            "vehicles-3-reg": "CD34EFG",
            "vehicles-3-make": "Ford",
            "action": "remove:vehicles:2",
        }
        form = form_for(vehicles(), data=data)
        assert form.group_items("vehicles") == 2
        html = str(form.render_questions())
        assert 'id="vehicles-1-reg" name="vehicles-1-reg" type="text" value="AB12CDE"' in html
        assert 'id="vehicles-2-reg" name="vehicles-2-reg" type="text" value="CD34EFG"' in html
        assert 'id="vehicles-2-make" name="vehicles-2-make" type="text" value="Ford"' in html
        assert "BC23DEF" not in html
        assert "vehicles-3-reg" not in html

    def test_remove_works_with_a_querydict_too(self):
        data = QueryDict(mutable=True)
        data.update(
            {
                "vehicles-count": "2",
                "vehicles-1-reg": "AB12CDE",
                "vehicles-2-reg": "BC23DEF",
                "action": "remove:vehicles:1",
            }
        )
        form = form_for(vehicles(), data=data)
        assert 'value="BC23DEF"' in str(form.render_questions())
        assert form.group_items("vehicles") == 1

    def test_removing_the_last_item_of_an_optional_group(self):
        data = {"vehicles-count": "1", "vehicles-1-reg": "AB12CDE", "action": "remove:vehicles:1"}
        form = form_for(vehicles(min_items=0), data=data)
        assert form.group_items("vehicles") == 0
        html = str(form.render_questions())
        assert "vehicles-1-reg" not in html
        assert ">Add a vehicle</button>" in html
        form = form_for(vehicles(min_items=0, item_label="officer"), data=data)
        assert ">Add an officer</button>" in str(form.render_questions())

    def test_cannot_remove_below_the_fewest(self):
        data = {"vehicles-count": "1", "vehicles-1-reg": "AB12CDE", "action": "remove:vehicles:1"}
        form = form_for(vehicles(min_items=1), data=data)
        assert form.group_items("vehicles") == 1
        assert 'value="AB12CDE"' in str(form.render_questions())

    def test_continue_stores_each_item(self):
        data = {
            "vehicles-count": "2",
            "vehicles-1-reg": "ab12cde",
            "vehicles-1-make": "Ford",
            "vehicles-2-reg": "a123bcd",
        }
        answers, errors = submit(vehicles(), data)
        assert errors == []
        assert answers == {
            "vehicles": [
                {"reg": "AB12 CDE", "make": "Ford"},
                {"reg": "A123 BCD", "make": None},
            ]
        }

    def test_a_blank_extra_item_is_dropped_not_refused(self):
        data = {"vehicles-count": "2", "vehicles-1-reg": "ab12cde"}
        answers, errors = submit(vehicles(), data)
        assert errors == []
        assert answers == {"vehicles": [{"reg": "AB12 CDE", "make": None}]}

    def test_errors_name_the_item(self):
        data = {"vehicles-count": "2", "vehicles-1-reg": "ab12cde", "vehicles-2-make": "Ford"}
        _answers, summary = submit(vehicles(), data)
        assert summary == [("#vehicles-2-reg", "Vehicle 2: Enter the registration")]

    def test_the_fewest_items_must_be_answered(self):
        _answers, summary = submit(vehicles(min_items=1), {"vehicles-count": "1"})
        assert summary == [("#vehicles-1-reg", "Vehicle 1: Enter the registration")]

    def test_an_optional_group_may_be_left_empty(self):
        answers, errors = submit(vehicles(min_items=0), {"vehicles-count": "1"})
        assert errors == []
        assert answers == {"vehicles": []}

    def test_a_tampered_count_is_kept_within_limits(self):
        form = form_for(vehicles(max_items=3), data={"vehicles-count": "900"})
        assert form.group_items("vehicles") == 3
        form = form_for(vehicles(min_items=1), data={"vehicles-count": "nope"})
        assert form.group_items("vehicles") == 1

    def test_answers_already_given_fill_the_items(self):
        answers = {
            "vehicles": [{"reg": "AB12 CDE", "make": "Ford"}, {"reg": "A1 BCD", "make": None}]
        }
        form = form_for(vehicles(), answers=answers)
        assert form.group_items("vehicles") == 2
        html = str(form.render_questions())
        assert 'value="AB12 CDE"' in html and 'value="A1 BCD"' in html

    def test_pressing_enter_continues_rather_than_removing(self):
        html = str(form_for(vehicles(min_items=0)).render_questions())
        first_button = html.index("<button")
        assert html[first_button:].startswith(
            '<button type="submit" name="action" value="continue" class="govuk-visually-hidden"'
        )

    def test_display(self):
        question = make_journey(step("s", vehicles())).questions["vehicles"]
        text = question.display(
            [{"reg": "AB12 CDE", "make": "Ford"}, {"reg": "A1 BCD", "make": None}]
        )
        assert text == (
            "Vehicle 1\nReg: AB12 CDE\nMake: Ford\n\nVehicle 2\nReg: A1 BCD\nMake: Not answered"
        )


# --- evidence files ------------------------------------------------------------------------------


def png_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "red").save(buffer, "PNG")
    return buffer.getvalue()


def jpeg_bytes():
    buffer = io.BytesIO()
    Image.new("RGB", (2, 2), "blue").save(buffer, "JPEG")
    return buffer.getvalue()


def iso_media(major, *compatible):
    """The start of an ISO base media file (MP4, MOV, HEIC): an ftyp box, then an mdat box."""
    brands = b"".join(brand.encode() for brand in compatible)
    ftyp = struct.pack(">I", 16 + len(brands)) + b"ftyp" + major.encode() + b"\0\0\0\0" + brands
    return ftyp + struct.pack(">I", 16) + b"mdat" + b"\0" * 8


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
MP4 = iso_media("isom", "isom", "iso2", "avc1", "mp41")
MOV = iso_media("qt  ", "qt  ")
HEIC = iso_media("heic", "mif1", "heic")
WINDOWS_EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 112 + b"PE\x00\x00"
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00"
MACHO = b"\xcf\xfa\xed\xfe" + b"\x07\x00\x00\x01" + b"\x00" * 24


def upload(name, content, content_type="application/octet-stream"):
    return SimpleUploadedFile(name, content, content_type=content_type)


class TestEvidenceFileChecks:
    @pytest.mark.parametrize(
        ("name", "content", "expected"),
        [
            ("photo.png", png_bytes(), ("image/png", "png")),
            ("photo.JPG", jpeg_bytes(), ("image/jpeg", "jpg")),
            ("photo.jpeg", jpeg_bytes(), ("image/jpeg", "jpg")),
            ("statement.pdf", PDF, ("application/pdf", "pdf")),
            ("dashcam.mp4", MP4, ("video/mp4", "mp4")),
            ("clip.MOV", MOV, ("video/quicktime", "mov")),
            ("IMG_0001.HEIC", HEIC, ("image/heic", "heic")),
            ("no-extension", png_bytes(), ("image/png", "png")),
        ],
    )
    def test_accepts_real_files(self, name, content, expected):
        assert check_evidence_file(upload(name, content)) == expected

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("photo.jpg", WINDOWS_EXE),
            ("photo.jpg", ELF),
            ("statement.pdf", MACHO),
            ("notes.pdf", b"#!/bin/sh\nrm -rf /\n"),
        ],
    )
    def test_refuses_programs_whatever_their_name(self, name, content):
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(upload(name, content, "image/jpeg"))
        assert refused.value.code == "program"
        assert refused.value.messages == [
            "The selected file is a program, so it cannot be uploaded. It must be a JPG, PNG, "
            "HEIC, MP4, MOV or PDF"
        ]

    @pytest.mark.parametrize(
        ("name", "content"),
        [
            ("statement.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
            ("photo.png", b'<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>'),
            ("photo.png", b'<?xml version="1.0"?><svg/>'),
            ("archive.pdf", b"PK\x03\x04" + b"\x00" * 40),
            ("photo.jpg", b"\xff\xd8\xff\xe0 not really a jpeg at all"),
            ("clip.mp4", iso_media("avif", "avif", "mif1")),
            ("notes.txt", b"just some text"),
        ],
    )
    def test_refuses_what_is_not_an_accepted_type(self, name, content):
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(upload(name, content))
        assert refused.value.code == "file_type"
        assert refused.value.messages == [
            "The selected file must be a JPG, PNG, HEIC, MP4, MOV or PDF"
        ]

    def test_refuses_a_name_that_contradicts_the_contents(self):
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(upload("photo.jpg", png_bytes()))
        assert refused.value.code == "name_mismatch"
        with pytest.raises(ValidationError):
            check_evidence_file(upload("photo.exe", png_bytes()))

    def test_refuses_an_empty_file(self):
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(upload("photo.png", b""))
        assert refused.value.messages == ["The selected file is empty"]

    def test_refuses_a_file_over_the_limit(self, settings):
        settings.REPORT_EVIDENCE_MAX_BYTES = 100
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(upload("statement.pdf", PDF + b"x" * 100))
        assert refused.value.code == "too_large"
        assert refused.value.messages == ["The selected file must be smaller than 100 bytes"]

    def test_the_size_message_uses_megabytes(self, settings):
        settings.REPORT_EVIDENCE_MAX_BYTES = 20 * 1024 * 1024
        big = upload("statement.pdf", b"")
        big.size = 20 * 1024 * 1024 + 1
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(big)
        assert refused.value.messages == ["The selected file must be smaller than 20MB"]

    def test_only_the_kinds_the_editor_accepts(self):
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(upload("statement.pdf", PDF), kinds=("video",))
        assert refused.value.messages == ["The selected file must be a MP4 or MOV"]

    def test_messages_never_repeat_the_file_name(self):
        secret = "jo-bloggs-home-address.pdf"
        with pytest.raises(ValidationError) as refused:
            check_evidence_file(upload(secret, WINDOWS_EXE))
        assert "jo-bloggs" not in " ".join(refused.value.messages)

    def test_the_file_is_rewound(self):
        file = upload("photo.png", png_bytes())
        check_evidence_file(file)
        assert file.tell() == 0


def post_files(question, files, answers=None, data=None):
    """Post ``files`` (a list of uploads) to a one-evidence-question step."""
    from django.utils.datastructures import MultiValueDict

    form = form_for(
        question,
        data=data or {},
        files=MultiValueDict({question["value"]["question_id"]: files}),
        answers=answers,
    )
    return form


class TestEvidenceQuestion:
    def test_new_files_are_checked_and_typed_by_content(self):
        form = post_files(
            evidence("photos"), [upload("a.png", png_bytes(), "text/html"), upload("b.pdf", PDF)]
        )
        assert form.is_valid(), form.errors
        files = form.new_files("photos")
        assert [file.content_type for file in files] == ["image/png", "application/pdf"]
        assert [file.evidence_extension for file in files] == ["png", "pdf"]
        assert form.answers() == {"photos": []}  # the view adds what it saved

    def test_required(self):
        form = post_files(evidence("photos", error_label="a photo of the damage"), [])
        assert not form.is_valid()
        assert form.error_summary() == [("#photos", "Select a photo of the damage")]

    def test_files_already_uploaded_satisfy_required(self):
        kept = [{"evidence_id": "e1", "filename": "a.png", "content_type": "image/png", "size": 5}]
        form = post_files(evidence("photos"), [], answers={"photos": kept})
        assert form.is_valid()
        assert form.answers(new_evidence={"photos": [{"evidence_id": "e2"}]}) == {
            "photos": [*kept, {"evidence_id": "e2"}]
        }

    def test_too_many_files(self):
        files = [upload(f"{n}.png", png_bytes()) for n in range(3)]
        form = post_files(evidence("photos", max_files=2), files)
        assert not form.is_valid()
        assert [message for _href, message in form.error_summary()] == [
            "You can only upload up to 2 files"
        ]

    def test_too_many_counting_those_already_uploaded(self):
        kept = [{"evidence_id": "e1", "filename": "a.png", "content_type": "image/png", "size": 5}]
        files = [upload(f"{n}.png", png_bytes()) for n in range(2)]
        form = post_files(evidence("photos", max_files=2), files, answers={"photos": kept})
        assert not form.is_valid()
        assert [message for _href, message in form.error_summary()] == [
            "You can only upload 1 more file"
        ]
        full = [upload("a.png", png_bytes())]
        form = post_files(evidence("photos", max_files=1), full, answers={"photos": kept})
        assert [message for _href, message in form.error_summary()] == [
            "You have uploaded as many files as you can. Remove one to add another"
        ]

    def test_the_platform_limit_caps_the_editors(self, settings):
        settings.REPORT_EVIDENCE_MAX_FILES = 1
        journey = make_journey(step("s", evidence("photos", max_files=10)))
        assert journey.questions["photos"].max_files == 1

    def test_each_bad_file_is_reported_by_position(self, settings):
        settings.REPORT_EVIDENCE_MAX_BYTES = 1000
        files = [
            upload("a.png", png_bytes()),
            upload("photo.jpg", WINDOWS_EXE),
            upload("b.pdf", PDF + b"x" * 1000),
        ]
        form = post_files(evidence("photos"), files)
        assert not form.is_valid()
        assert [message for _href, message in form.error_summary()] == [
            "Selected file 2 of 3 is a program, so it cannot be uploaded. It must be a JPG, "
            "PNG, HEIC, MP4, MOV or PDF",
            "Selected file 3 of 3 must be smaller than 1000 bytes",
        ]
        assert form.new_files("photos") == []

    def test_remove_buttons_and_the_list_of_files(self):
        kept = [
            {
                "evidence_id": "e1",
                "filename": "dashcam.mp4",
                "content_type": "video/mp4",
                "size": 2 * 1024 * 1024,
            },
            {"evidence_id": "e2", "filename": "photo.png", "content_type": "image/png", "size": 5},
        ]
        form = form_for(evidence("photos"), answers={"photos": kept})
        html = str(form.render_questions())
        assert "dashcam.mp4" in html and "2MB" in html
        assert 'name="remove-evidence" value="e1"' in html
        assert 'type="file" multiple accept=".jfif,.jpe,.jpeg,.jpg,.png' in html
        assert html.lstrip().startswith('<button type="submit" name="action" value="continue"')

    def test_remove_asks_for_known_evidence_only_and_shows_no_errors(self):
        kept = [{"evidence_id": "e1", "filename": "a.png", "content_type": "image/png", "size": 5}]
        data = QueryDict(mutable=True)
        data.setlist("remove-evidence", ["e1", "not-mine"])
        form = post_files(evidence("photos"), [], answers={"photos": kept}, data=data)
        assert form.action == "remove-evidence"
        assert form.removed_evidence() == ["e1"]
        assert not form.is_valid()
        assert form.errors == {}
        assert "a.png" not in str(form.render_questions())

    def test_a_refused_file_is_reported_even_when_adding(self):
        form = post_files(
            evidence("photos"),
            [upload("photo.jpg", ELF)],
            data={"action": "add:nothing-here"},  # not a group of this step: continue
        )
        assert form.action == "continue"
        assert not form.is_valid()
        assert "program" in form.error_summary()[0][1]
