from pathlib import Path
from typing import Any


def test_users_create_and_tokens_create(runner: Any, make_org: Any, client: Any) -> None:
    make_org(slug="wmo")
    result = runner.invoke(args=["users", "create", "Anna@Example.nl", "--org", "wmo",
                                 "--role", "coordinator", "--name", "Anna",
                                 "--password-stdin"], input="a very long password\n")
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["tokens", "create", "anna@example.nl"])
    assert result.exit_code == 0
    token = result.output.strip().splitlines()[-1]
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.json["role"] == "coordinator"


def test_users_create_without_password_prints_an_invitation(runner: Any, make_org: Any) -> None:
    make_org(slug="wmo")
    result = runner.invoke(args=["users", "create", "b@example.nl", "--org", "wmo",
                                 "--role", "staff"])
    assert result.exit_code == 0 and "/invite/" in result.output


def test_bad_input_fails_with_a_message(runner: Any) -> None:
    result = runner.invoke(args=["users", "create", "b@example.nl", "--org", "nowhere",
                                 "--role", "staff"])
    assert result.exit_code == 1 and "nowhere" in result.output
    result = runner.invoke(args=["tokens", "create", "ghost@example.nl"])
    assert result.exit_code == 1


def test_import_commands_and_orgs_list(runner: Any, tmp_path: Path) -> None:
    good = tmp_path / "orgs.csv"
    good.write_text("slug,name,kind\nwmo,Wmo-team,core\nggz,GGZ,network\n")
    assert runner.invoke(args=["import", "organisations", str(good)]).exit_code == 0
    listing = runner.invoke(args=["orgs", "list"]).output.splitlines()
    assert listing == ["ggz\tnetwork\tGGZ", "wmo\tcore\tWmo-team"]
    bad = tmp_path / "bad.csv"
    bad.write_text("slug,name,kind\nx,y,z\n")
    result = runner.invoke(args=["import", "organisations", str(bad)])
    assert result.exit_code == 1 and "line 2" in result.output
    assert runner.invoke(args=["import", "organisations", "/nope.csv"]).exit_code == 1


def test_seed_demo_builds_the_bestwijzer_building(runner: Any, client: Any, auth: Any) -> None:
    from sqlalchemy import func, select

    from hub.accounts.models import Organisation
    from hub.building.models import Resource
    from hub.extensions import db

    result = runner.invoke(args=["seed", "demo"])
    assert result.exit_code == 0, result.output
    orgs = db.session.scalars(select(Organisation)).all()
    assert len(orgs) == 25 and sum(o.kind == "network" for o in orgs) == 8
    kinds = dict(db.session.execute(select(Resource.kind, func.count()).group_by(Resource.kind)).all())
    assert kinds["desk"] == 40 and kinds["landing_spot"] == 6 and kinds["room"] >= 11
    ggd_room = db.session.scalar(select(Resource).filter_by(slug="ggd-kamer"))
    assert ggd_room.is_private and [o.slug for o in ggd_room.restricted_to] == ["ggd"]
    from hub.demo.seed import DEMO_PASSWORD

    for line in result.output.splitlines()[1:]:
        email = line.split()[-1]
        assert auth.login(email, DEMO_PASSWORD).status_code == 302, email
        auth.logout()
    assert runner.invoke(args=["seed", "demo", "--if-empty"]).exit_code == 0
