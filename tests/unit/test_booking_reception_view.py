"""Reception's table names an organisation once: not in the name and again beside it."""

from hub.booking.web.reception_view import person_label


def test_the_name_drops_the_organisation_the_next_column_shows() -> None:
    assert person_label("Daan (Centrum voor Jeugd en Gezin)", "Centrum voor Jeugd en Gezin") == "Daan"
    assert person_label("Daan (MEE)", "Wmo-team") == "Daan (MEE)"  # another organisation stays
    assert person_label("Wim Wmo", "Wmo-team") == "Wim Wmo"
    assert person_label(None, "Wmo-team") is None
