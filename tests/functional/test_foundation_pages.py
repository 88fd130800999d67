"""What people notice on the foundation's pages: their language, and forms a screen reader
can follow."""

import re
from typing import Any


def test_roles_are_shown_in_dutch_and_in_english(client: Any, auth: Any,
                                                 make_user: Any) -> None:
    coordinator = make_user(role="coordinator")
    make_user(org=coordinator.organisation, role="reception")
    auth.login(coordinator.email)
    page = client.get("/org/members").text
    assert ">Medewerker</option>" in page and ">Coördinator</option>" in page
    # A role the coordinator may not give is named, not offered as a control that fails.
    assert "Balie · actief" in page and ">Balie</option>" not in page
    assert ">staff<" not in page and ">reception<" not in page
    assert "<dd>Coördinator</dd>" in client.get("/account").text


def test_roles_are_in_english_for_an_english_user(client: Any, auth: Any,
                                                  make_user: Any) -> None:
    auth.login(make_user(role="facility", language="en").email)
    assert "<dd>Facility manager</dd>" in client.get("/account").text


def test_field_errors_are_tied_to_their_input(client: Any, auth: Any, make_user: Any) -> None:
    auth.login(make_user(role="coordinator").email)
    page = client.post("/org/members", data={"name": "", "email": "not-an-address",
                                             "role": "staff"}).text
    email_input = re.search(r'<input[^>]*id="email"[^>]*>', page)
    assert email_input, page
    assert 'aria-invalid="true"' in email_input.group(0)
    assert 'aria-describedby="email-error-1"' in email_input.group(0)
    assert 'id="email-error-1"' in page
    name_input = re.search(r'<input[^>]*id="name"[^>]*>', page)
    assert name_input and 'aria-describedby="name-error-1"' in name_input.group(0)


def test_each_member_row_names_whom_its_controls_change(client: Any, auth: Any,
                                                        make_user: Any) -> None:
    coordinator = make_user(role="coordinator", name="Carla Coördinator")
    member = make_user(org=coordinator.organisation, name="Mo Medewerker")
    auth.login(coordinator.email)
    page = client.get("/org/members").text
    assert f'<th scope="row" id="member-{member.id}">Mo Medewerker</th>' in page
    assert f'aria-describedby="member-{member.id}"' in page
    assert '<span class="sr-only">: Mo Medewerker</span>' in page
