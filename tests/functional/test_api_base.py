from typing import Any


def test_unauthenticated_api_call_gets_401_json(client: Any) -> None:
    response = client.get("/api/v1/me")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "not_authenticated"
    assert response.json["error"]["message"]


def test_token_gets_me(client: Any, make_user: Any, make_org: Any, token_for: Any) -> None:
    org = make_org(slug="ggd", name="GGD", kind="core")
    user = make_user(org=org, name="Gerda", role="staff")
    response = client.get("/api/v1/me", headers=token_for(user))
    assert response.status_code == 200
    body = response.json
    assert body["email"] == user.email and body["role"] == "staff"
    assert body["organisation"] == {"id": org.id, "slug": "ggd", "name": "GGD", "kind": "core"}
    # Feed links are kept only as a hash: /me cannot show one; POST /me/feed makes one.
    assert body["feed_url"] is None
    made = client.post("/api/v1/me/feed", headers=token_for(user))
    assert made.status_code == 201
    feed = made.json["feed_url"]
    assert feed.startswith("https://hub.test/ical/") and made.json["webcal_url"].startswith(
        "webcal://hub.test/ical/")
    path = feed.removeprefix("https://hub.test")
    assert client.get(path).status_code == 200
    client.post("/api/v1/me/feed", headers=token_for(user))  # a new link revokes the old
    assert client.get(path).status_code == 404


def test_revoked_and_unknown_tokens_get_401(client: Any, make_user: Any, app: Any) -> None:
    from hub.accounts.models import ApiToken
    from hub.accounts.services import create_token, revoke_token
    from hub.extensions import db
    from tests.hub_fixtures import T0

    user = make_user()
    token = create_token(user.id, name="x", now=T0)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    stored = db.session.query(ApiToken).one()
    assert stored.token_hash != token and token not in stored.token_hash
    revoke_token(user.id, stored.id, now=T0)
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer hub_nope"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401


def test_token_life_cycle_in_the_account_page(client: Any, auth: Any, make_user: Any) -> None:
    user = make_user()
    auth.login(user.email)
    page = client.post("/account/tokens", data={"name": "Mijn script"}).text  # shown right away
    token = page.split('id="newtoken" readonly value="')[1].split('"')[0]
    assert token.startswith("hub_")
    assert token not in client.get("/account").text  # shown once
    auth.logout()
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"}).status_code == 200


def test_organisations_and_resources_lists(client: Any, make_user: Any, make_org: Any,
                                           make_resource: Any, token_for: Any) -> None:
    network = make_org(slug="ggz", kind="network")
    user = make_user(org=network)
    room = make_resource("room", capacity=6, amenities=["wheelchair"])
    spot = make_resource("landing_spot")
    headers = token_for(user)
    orgs = client.get("/api/v1/organisations", headers=headers).json
    assert orgs["next"] is None and {"id", "slug", "name", "kind"} <= set(orgs["items"][0])
    everything = client.get("/api/v1/resources", headers=headers).json["items"]
    assert {r["slug"] for r in everything} == {room.slug, spot.slug}
    assert everything[0]["state_now"] in ("free", "booked", "occupied", "unknown")
    mine = client.get("/api/v1/resources?bookable=1", headers=headers).json["items"]
    assert [r["slug"] for r in mine] == [spot.slug]  # a network partner books landing spots
    rooms = client.get("/api/v1/resources?kind=room", headers=headers).json["items"]
    assert rooms[0]["capacity"] == 6 and rooms[0]["amenities"] == ["wheelchair"]


def test_bad_query_is_400_not_500(client: Any, make_user: Any, token_for: Any) -> None:
    response = client.get("/api/v1/resources?kind=castle", headers=token_for(make_user()))
    assert response.status_code == 400
    assert response.json["error"]["code"] == "invalid_input"


def test_openapi_document_and_docs(client: Any) -> None:
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert spec.json["openapi"].startswith("3.")
    assert "/api/v1/me" in spec.json["paths"]
    docs = client.get("/api/docs")
    assert docs.status_code == 200
    assert "/static/vendor/swagger-ui/" in docs.text
