from typing import Any

import pytest
from sqlalchemy import func, select

from hub.accounts.imports import import_organisations, import_users
from hub.accounts.models import Organisation, User
from hub.building.imports import import_resources
from hub.building.models import Resource
from hub.extensions import db
from tests.hub_fixtures import T0

pytestmark = pytest.mark.both_databases


def _count(model: Any) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_good_organisations_file_is_imported(app: Any) -> None:
    data = "\ufeffslug;name;kind\nwmo;Wmo-team;core\nggz;GGZ;network\n".encode()
    report = import_organisations(data, now=T0)
    assert report.ok and report.created == 2
    assert _count(Organisation) == 2


def test_a_bad_row_imports_nothing_and_names_every_bad_line(app: Any) -> None:
    data = ("slug,name,kind\n"
            "wmo,Wmo-team,core\n"
            "Bad Slug,X,core\n"
            "ggz,GGZ,partner\n"
            "wmo,Again,core\n"
            "too,many,fields,here\n")
    report = import_organisations(data, now=T0)
    assert not report.ok and report.created == 0
    assert [line for line, _ in report.errors] == [3, 4, 5, 6]  # in file order
    assert _count(Organisation) == 0


def test_missing_column_and_binary_garbage_are_reported(app: Any) -> None:
    assert import_organisations("slug,name\nx,y\n", now=T0).errors == [
        (1, "ontbrekende kolom(men): kind")]
    assert import_organisations(b"\xff\xfe\x00garbage", now=T0).errors[0][0] == 1
    assert import_organisations("", now=T0).errors


def test_users_import_checks_organisation_and_role(app: Any, make_org: Any) -> None:
    make_org(slug="wmo")
    data = ("email,organisation,role,name\n"
            "a@example.nl,wmo,staff,Anna\n"
            "b@example.nl,nowhere,staff,Bert\n"
            "c@example.nl,wmo,boss,Cees\n"
            "not-an-email,wmo,staff,Dirk\n")
    report = import_users(data, now=T0)
    assert [line for line, _ in report.errors] == [3, 4, 5]
    assert _count(User) == 0


def test_resources_import(app: Any, make_floor: Any, make_org: Any) -> None:
    make_floor(site_slug="bestwijzer", slug="bg")
    make_org(slug="ggd")
    data = ("slug,name,kind,site,floor,capacity,amenities,privacy,restricted_to\n"
            "sk-1,Spreekkamer 1,room,bestwijzer,bg,4,wheelchair|screen,normal,\n"
            "ggd,GGD-kamer,room,bestwijzer,bg,2,,private,ggd\n")
    report = import_resources(data, now=T0)
    assert report.ok, report.errors
    ggd = db.session.scalar(select(Resource).filter_by(slug="ggd"))
    assert ggd.is_private and [o.slug for o in ggd.restricted_to] == ["ggd"]
    bad = ("slug,name,kind,site,floor,capacity\n"
           "sk-2,X,room,bestwijzer,bg,many\n"
           "sk-3,X,castle,bestwijzer,bg,1\n"
           "sk-4,X,room,bestwijzer,attic,1\n")
    report = import_resources(bad, now=T0)
    assert [line for line, _ in report.errors] == [2, 3, 4]
    assert _count(Resource) == 2


def test_hostile_cells_are_reported_per_line_and_nothing_is_imported(app: Any) -> None:
    data = (b"slug,name,kind\n"
            b"ok,Goede Stichting,core\n"
            b"nul,Bad\x00Name,core\n"
            b"formula,=HYPERLINK(\"http://x\"),core\n"
            b"at,@SUM(A1),network\n"
            b'multi,"Two\nlines",castle\n'
            b"neg,-1+2,core\n")
    report = import_organisations(data, now=T0)
    assert report.created == 0
    lines = dict(report.errors)
    assert sorted(lines) == [3, 4, 5, 6, 8]  # the two-line record (6-7) counts from its start
    assert "stuurteken" in lines[3]
    assert "formule" in lines[4] and "formule" in lines[5] and "formule" in lines[8]
    assert _count(Organisation) == 0


def test_doubled_columns_and_oversized_files_are_refused(app: Any) -> None:
    report = import_organisations("slug,name,kind,kind\nab,AB,core,core\n", now=T0)
    assert report.errors == [(1, "kolom(men) dubbel genoemd: kind")]
    big_cell = "slug,name,kind\nab," + "x" * 200_000 + ",core\n"
    assert import_organisations(big_cell, now=T0).errors[0][0] == 2
    too_many = "slug,name,kind\n" + "bad row\n" * 10_001
    report = import_organisations(too_many, now=T0)
    assert len(report.errors) == 1 and "splits" in report.errors[0][1]
    assert _count(Organisation) == 0


def test_resources_import_refuses_control_characters_in_descriptions(app: Any,
                                                                      make_floor: Any) -> None:
    make_floor(site_slug="best", slug="bg")
    data = ("slug,name,kind,site,floor,description\n"
            "kamer-1,Kamer 1,room,best,bg,bel\x00aan\n")
    report = import_resources(data.encode(), now=T0)
    assert [line for line, _ in report.errors] == [2]
    assert _count(Resource) == 0
