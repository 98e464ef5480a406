"""Staff (issue 12, item 13): owners invite agents with a link shown once (accepted by the
invited email signing in or creating a seller account; it expires), choose what each may do,
change and remove them; the API and the desk enforce the same permissions (answer disputes,
refund up to an amount, manage evidence, see metrics); the timeline names who acted. On each
database."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api_support import Desk
from disputedesk.services import accounts
from disputedesk.services.accounts import create_token, create_user
from disputedesk.store.db import Database
from web_support import WebDesk, csrf_of, make_web_desk, shipped_order, sign_in

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7"
    b"\x9a\xa0\xa0\x00\x00\x00\x00IEND\xaeB`\x82"
)
LIMITED = {
    "answer_disputes": True,
    "refund_up_to": "20.00",
    "manage_evidence": False,
    "see_metrics": False,
}


@dataclass
class Team:
    web: WebDesk
    api: Desk

    def desk(self, email: str, password: str) -> TestClient:
        client = self.web.client()
        assert sign_in(client, email, password).status_code == 303
        return client


@pytest.fixture(autouse=True)
def quick_passwords(monkeypatch: pytest.MonkeyPatch) -> None:
    """Cheap argon2 parameters: these tests sign many people in, and what they check is who
    may do what, not the hashing."""
    from argon2 import PasswordHasher

    monkeypatch.setattr(
        accounts,
        "_password_hasher",
        lambda: PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1),
    )


@pytest.fixture
def team(db: Database, tmp_path: Path) -> Iterator[Team]:
    """The desk's users (owner Li Wei of shop1, Wang of shop2, buyers, an arbitrator) with API
    tokens on the same app."""
    web = make_web_desk(db, tmp_path)
    emails = {
        "seller": "seller@shop1.test",
        "seller2": "seller@shop2.test",
        "buyer": "buyer@b1.test",
        "admin": "admin@platform.test",
    }
    tokens = {role: create_token(db, email=email).token for role, email in emails.items()}
    client = TestClient(web.app, base_url="https://testserver")
    yield Team(web, Desk(db, client, web.clock, tokens, tmp_path / "data"))
    client.close()


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def open_dispute(team: Team, order_id: str, amount: str = "30.00") -> str:
    shipped_order(team.web, order_id)
    body = {
        "reason": "not_as_described.damaged",
        "goods_received": True,
        "plan": {"type": "refund_only", "amount": amount},
    }
    return ok(team.api.post("buyer", f"/orders/{order_id}/disputes", body), 201)["id"]


def invite_agent(team: Team, email: str, permissions: dict[str, Any] | None) -> dict[str, Any]:
    body: dict[str, Any] = {"email": email}
    if permissions is not None:
        body["permissions"] = permissions
    return ok(team.api.post("seller", "/stores/shop1/invitations", body), 201)


def test_an_invited_agent_signs_up_from_the_link_and_is_held_to_their_permissions(
    team: Team,
) -> None:
    api = team.api
    invitation = invite_agent(team, "zhang@shop1.test", LIMITED)
    assert invitation["link"].endswith(f"/desk/invitations/{invitation['token']}")
    assert invitation["permissions"] == LIMITED
    listed = ok(api.get("seller", "/stores/shop1/invitations"))["items"]
    assert [i["email"] for i in listed] == ["zhang@shop1.test"] and "token" not in listed[0]

    # the link: nobody signed in, no account yet -> create it and join
    anonymous = team.web.client()
    path = f"/desk/invitations/{invitation['token']}"
    page = anonymous.get(path)
    assert page.status_code == 200 and "zhang@shop1.test" in page.text
    assert 'id="create-account"' in page.text and "refunds up to 20.00" in page.text
    short = anonymous.post(f"{path}/sign-up", data={"name": "Zhang Min", "password": "short"})
    assert short.status_code == 422  # the form again, nothing created
    joined = anonymous.post(
        f"{path}/sign-up", data={"name": "Zhang Min", "password": "zhang-pass-1"}
    )
    assert joined.status_code == 303 and "dd_session" in joined.cookies
    assert anonymous.get(joined.headers["location"]).status_code == 200  # signed in: the inbox
    assert anonymous.get(path).status_code == 404  # used once
    staff = ok(api.get("seller", "/stores/shop1/staff"))["items"]
    zhang = next(s for s in staff if s["email"] == "zhang@shop1.test")
    assert zhang["role"] == "agent" and zhang["permissions"] == LIMITED
    api.tokens["agent"] = create_token(team.web.db, email="zhang@shop1.test").token

    did = open_dispute(team, "P1", amount="30.00")
    # refunds above the limit: 403, the limit in words
    refused = api.post("agent", f"/disputes/{did}/accept")
    assert refused.status_code == 403 and refused.json()["code"] == "forbidden"
    assert "limited to 20.00 USD" in refused.json()["detail"]
    too_much = {"plan": {"type": "refund_only", "amount": "25.00"}}
    assert api.post("agent", f"/disputes/{did}/propose", too_much).status_code == 403
    # within it: the timeline names who acted
    fine = {"plan": {"type": "refund_only", "amount": "15.00"}}
    history = ok(api.post("agent", f"/disputes/{did}/propose", fine))["history"]
    assert history[-1]["action"] == "propose"
    assert history[-1]["performed_by"] == {"name": "Zhang Min", "role": "agent"}
    assert history[0]["performed_by"] == {"name": "Ana", "role": "buyer"}
    # no evidence, no metrics
    upload = api.post(
        "agent",
        f"/disputes/{did}/evidence",
        data={"kind": "photo", "description": "the box"},
        files={"file": ("box.png", PNG, "image/png")},
    )
    assert upload.status_code == 403 and "manage evidence" in upload.json()["detail"]
    assert ok(api.get("seller", f"/disputes/{did}"))["evidence"] == []
    assert api.get("agent", "/stores/shop1/metrics").status_code == 403
    assert api.get("seller", "/stores/shop1/metrics").status_code == 200  # the owner may
    # the owner takes answering away: reject is refused too
    changed = api.client.patch(
        f"/stores/shop1/staff/{zhang['id']}",
        json={"permissions": {**LIMITED, "answer_disputes": False}},
        headers=api.h("seller"),
    )
    assert ok(changed)["permissions"]["answer_disputes"] is False
    rejected = api.post("agent", f"/disputes/{did}/reject", {"note": "no"})
    assert rejected.status_code == 403 and "answer disputes" in rejected.json()["detail"]
    # ... and removes the agent: the store's disputes are gone for them
    removed = api.client.delete(f"/stores/shop1/staff/{zhang['id']}", headers=api.h("seller"))
    assert "zhang@shop1.test" not in {s["email"] for s in ok(removed)["items"]}
    assert api.get("agent", f"/disputes/{did}").status_code == 404
    # the owner's own permissions stay everything, and the last owner stays
    owner = next(s for s in staff if s["role"] == "owner")
    last = api.client.delete(f"/stores/shop1/staff/{owner['id']}", headers=api.h("seller"))
    assert last.status_code == 409
    demote = api.client.patch(
        f"/stores/shop1/staff/{owner['id']}", json={"role": "agent"}, headers=api.h("seller")
    )
    assert demote.status_code == 409


def test_invitations_expire_are_for_one_email_and_only_owners_manage_staff(team: Team) -> None:
    api = team.api
    # an agent (everything allowed) is not an owner: no invitations, no changes
    create_user(
        team.web.db,
        email="helper@shop1.test",
        name="Helper",
        role="seller",
        store_id="shop1",
        store_role="agent",
        password="helper-pass-1",
    )
    api.tokens["agent"] = create_token(team.web.db, email="helper@shop1.test").token
    denied = api.post("agent", "/stores/shop1/invitations", {"email": "x@shop1.test"})
    assert denied.status_code == 403
    assert api.get("agent", "/stores/shop1/staff").status_code == 200  # but may look
    assert api.get("buyer", "/stores/shop1/staff").status_code == 403
    assert api.get("seller2", "/stores/shop1/staff").status_code == 404
    bad = api.post("seller", "/stores/shop1/invitations", {"email": "not an email"})
    assert bad.status_code == 422
    limit = api.post(
        "seller",
        "/stores/shop1/invitations",
        {"email": "y@shop1.test", "permissions": {"refund_up_to": "-5"}},
    )
    assert limit.status_code == 422
    staff_again = api.post("seller", "/stores/shop1/invitations", {"email": "helper@shop1.test"})
    assert staff_again.status_code == 409

    # an existing seller account (Wang, of shop2) accepts through the API, as that email only
    invitation = invite_agent(team, "seller@shop2.test", None)
    token = invitation["token"]
    assert api.post("buyer", "/invitations/accept", {"token": token}).status_code == 403
    accepted = ok(api.post("seller2", "/invitations/accept", {"token": token}))
    assert accepted == {
        "store_id": "shop1",
        "role": "agent",
        "permissions": {
            "answer_disputes": True,
            "refund_up_to": None,
            "manage_evidence": True,
            "see_metrics": True,
        },
    }
    assert api.post("seller2", "/invitations/accept", {"token": token}).status_code == 404
    assert ok(api.get("seller2", "/me"))["stores"] == {"shop2": "owner", "shop1": "agent"}

    # a link for someone with an account says to sign in; another account may not use it
    second = invite_agent(team, "helper2@shop1.test", None)
    create_user(
        team.web.db,
        email="helper2@shop1.test",
        name="Helper Two",
        role="seller",
        password="helper2-pass",
    )
    path = f"/desk/invitations/{second['token']}"
    page = team.web.client().get(path)
    assert 'id="sign-in-to-accept"' in page.text and 'id="create-account"' not in page.text
    wang = team.web.login("seller2")
    assert 'id="other-account"' in wang.get(path).text
    refused = wang.post(f"{path}/accept", data={"csrf_token": csrf_of(wang.get(path).text)})
    assert refused.status_code == 403
    helper2 = team.desk("helper2@shop1.test", "helper2-pass")
    form = helper2.get(path)
    done = helper2.post(f"{path}/accept", data={"csrf_token": csrf_of(form.text)})
    assert done.status_code == 303

    # a withdrawn link and an expired one no longer work
    third = invite_agent(team, "late@shop1.test", None)
    fourth = invite_agent(team, "later@shop1.test", None)
    pending = ok(api.get("seller", "/stores/shop1/invitations"))["items"]
    withdrawn = next(i for i in pending if i["email"] == "late@shop1.test")
    api.client.delete(f"/stores/shop1/invitations/{withdrawn['id']}", headers=api.h("seller"))
    assert team.web.client().get(f"/desk/invitations/{third['token']}").status_code == 404
    team.web.clock.advance(days=8)
    expired = team.web.client().get(f"/desk/invitations/{fourth['token']}")
    assert expired.status_code == 410 and "expired" in expired.text
    assert team.web.client().get("/desk/invitations/ddi_nothing").status_code == 404


def test_the_staff_page_invites_changes_and_removes(team: Team) -> None:
    owner = team.web.login("seller")
    inbox = owner.get("/desk/inbox")
    assert 'id="nav-staff"' in inbox.text
    page = owner.get("/desk/store/staff")
    assert page.status_code == 200 and "seller@shop1.test" in page.text
    token = csrf_of(page.text)
    made = owner.post(
        "/desk/store/staff/invite",
        data={
            "csrf_token": token,
            "store": "shop1",
            "email": "zhang@shop1.test",
            "role": "agent",
            "answer_disputes": "1",
            "refund_up_to": "20",
        },
    )
    assert made.status_code == 200
    link = re.search(r'id="invitation-link" readonly value="([^"]+)"', made.text)
    assert link and "/desk/invitations/ddi_" in link.group(1)
    assert owner.get("/desk/store/staff").text.count(link.group(1)) == 0  # shown once
    bad = owner.post(
        "/desk/store/staff/invite",
        data={"csrf_token": token, "store": "shop1", "email": "a@b.test", "refund_up_to": "x"},
    )
    assert bad.status_code == 422 and 'value="a@b.test"' in bad.text  # typed values kept

    anonymous = team.web.client()
    path = link.group(1).split("testserver")[-1]
    anonymous.post(f"{path}/sign-up", data={"name": "Zhang Min", "password": "zhang-pass-1"})
    page = owner.get("/desk/store/staff")
    row = re.search(r'<tr id="staff-(\d+)" data-staff="zhang@shop1.test">', page.text)
    assert row and "refunds up to 20.00" in page.text
    staff_id = row.group(1)
    # change: may refund up to 50, see metrics
    changed = owner.post(
        f"/desk/store/staff/{staff_id}/change",
        data={
            "csrf_token": token,
            "store": "shop1",
            "role": "agent",
            "answer_disputes": "1",
            "refund_up_to": "50",
            "see_metrics": "1",
        },
    )
    assert changed.status_code == 303
    assert "refunds up to 50.00" in owner.get("/desk/store/staff").text
    # remove: a confirmation step, then done
    first = owner.post(
        f"/desk/store/staff/{staff_id}/remove", data={"csrf_token": token, "store": "shop1"}
    )
    assert first.status_code == 200 and 'id="confirm-yes"' in first.text
    gone = owner.post(
        f"/desk/store/staff/{staff_id}/remove",
        data={"csrf_token": token, "store": "shop1", "confirm": "yes"},
    )
    assert gone.status_code == 303
    assert "zhang@shop1.test" not in owner.get("/desk/store/staff").text
    # agents and buyers have no staff page
    assert team.web.login("buyer").get("/desk/store/staff").status_code == 403
    assert owner.get("/desk/store/staff?store=shop2").status_code == 404
    zh = team.web.login("seller", locale="zh_CN")
    assert "员工" in zh.get("/desk/store/staff").text


def test_the_desk_enforces_the_same_permissions_and_names_who_acted(team: Team) -> None:
    invitation = invite_agent(team, "zhang@shop1.test", LIMITED)
    team.web.client().post(
        f"/desk/invitations/{invitation['token']}/sign-up",
        data={"name": "Zhang Min", "password": "zhang-pass-1"},
    )
    did = open_dispute(team, "P2", amount="30.00")
    agent = team.desk("zhang@shop1.test", "zhang-pass-1")
    page = agent.get(f"/desk/disputes/{did}")
    token = csrf_of(page.text)
    accept = agent.post(
        f"/desk/disputes/{did}/accept", data={"csrf_token": token, "confirm": "yes"}
    )
    assert accept.status_code == 403 and "limited to $20.00" in accept.text
    propose = agent.post(
        f"/desk/disputes/{did}/propose",
        data={"csrf_token": token, "plan_type": "refund_only", "amount": "25.00"},
    )
    assert propose.status_code == 403
    upload = agent.post(
        f"/desk/disputes/{did}/evidence",
        data={"csrf_token": token, "kind": "photo", "description": "box"},
        files={"file": ("box.png", PNG, "image/png")},
    )
    assert upload.status_code == 403 and "managing evidence" in upload.text
    done = agent.post(
        f"/desk/disputes/{did}/propose",
        data={"csrf_token": token, "plan_type": "refund_only", "amount": "12.00"},
    )
    assert done.status_code == 303
    # the timeline names them, for the owner and for the buyer
    for viewer in (team.web.login("seller"), team.web.login("buyer")):
        text = viewer.get(f"/desk/disputes/{did}").text
        assert "Zhang Min (agent)" in text and "Ana (buyer)" in text
    zh = team.web.login("seller", locale="zh_CN").get(f"/desk/disputes/{did}").text
    assert "Zhang Min（客服）" in zh
    # without answer_disputes: nothing the agent sends on a dispute goes through
    staff = ok(team.api.get("seller", "/stores/shop1/staff"))["items"]
    zhang = next(s for s in staff if s["email"] == "zhang@shop1.test")
    no_answers = {**LIMITED, "answer_disputes": False}
    changed = team.api.client.patch(
        f"/stores/shop1/staff/{zhang['id']}",
        json={"permissions": no_answers},
        headers=team.api.h("seller"),
    )
    assert changed.status_code == 200
    reject = agent.post(f"/desk/disputes/{did}/reject", data={"csrf_token": token, "note": "no"})
    assert reject.status_code == 403 and "do not include answering disputes" in reject.text
    # the owner: the order's own steps and any refund
    owner = team.web.login("seller")
    page = owner.get(f"/desk/disputes/{did}")
    accepted = owner.post(
        f"/desk/disputes/{did}/accept", data={"csrf_token": csrf_of(page.text), "confirm": "yes"}
    )
    assert accepted.status_code == 303
    assert "Li Wei (owner)" in owner.get(f"/desk/disputes/{did}").text
