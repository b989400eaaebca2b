"""The web pages, rendered in-process: sign-in, board, lists, case page, forms by role, language."""

from __future__ import annotations

import re

import httpx

from tests.test_api_helpers import (  # noqa: F401 - fixtures
    OTHER_TOWNSHIP, PASSWORD, TOWNSHIP, app, holder_of, new_case, people, staff,
)


def browser(app) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://desk.test")


async def sign_in(http: httpx.AsyncClient, name: str) -> httpx.Response:
    return await http.post("/login", data={"name": name, "password": PASSWORD, "next": "/"})


def verbs_offered(html: str) -> set[str]:
    return set(re.findall(r'data-verb="([a-z_]+)"', html))


async def test_a_page_without_sign_in_goes_to_the_sign_in_page(app):
    async with browser(app) as http:
        answer = await http.get("/board")
        assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
        page = await http.get("/login")
        assert "登录" in page.text and 'lang="zh-CN"' in page.text


async def test_a_wrong_password_shows_the_sign_in_page_again_with_a_message(app):
    async with browser(app) as http:
        answer = await http.post("/login", data={"name": "office", "password": "nope"})
        assert answer.status_code == 401 and "用户名或密码错误" in answer.text


async def test_each_role_lands_on_its_own_page_after_sign_in(app, staff):
    for name, home in (("office", "/board"), ("natres", "/inbox"), ("township", "/township"), ("viewer", "/board")):
        async with browser(app) as http:
            answer = await sign_in(http, name)
            assert answer.status_code == 303 and answer.headers["location"] == home, name
            assert (await http.get(home)).status_code == 200


async def test_the_board_shows_lights_stages_and_townships(app, new_case):
    drill = await new_case(township="芦洲乡")
    async with browser(app) as http:
        await sign_in(http, "office")
        page = (await http.get("/board")).text
        assert "整治看板" in page and "芦洲乡" in page and drill.facts.permit_no in page
        assert 'data-testid="townships"' in page and 'data-testid="stages"' in page


async def test_the_english_toggle_switches_the_pages_and_back(app):
    async with browser(app) as http:
        await sign_in(http, "office")
        await http.get("/lang/en", headers={"referer": "http://desk.test/board"})
        page = (await http.get("/board")).text
        assert "Rectification board" in page and 'lang="en"' in page
        await http.get("/lang/zh")
        assert "整治看板" in (await http.get("/board")).text


async def test_the_list_filters_by_township_stage_and_due_date(app, new_case):
    drill = await new_case(township="塔下乡")
    async with browser(app) as http:
        await sign_in(http, "office")
        page = (await http.get("/cases", params={"township": "塔下乡", "stage": "registered"})).text
        assert drill.facts.permit_no in page
        page = (await http.get("/cases", params={"township": "塔下乡", "due_within": "10"})).text
        assert drill.facts.permit_no not in page
        assert (await http.get("/cases", params={"due_within": "ten"})).status_code == 422


async def test_the_case_page_offers_only_the_forms_of_the_signed_in_role(app, new_case, engine):
    drill = await new_case(township=TOWNSHIP)
    url = f"/cases/{drill.facts.permit_no}"
    expected = {"township": {"propose_disposition", "apply_cancellation"}, "county": {"decide_disposition", "decide_renewal", "move_deadline"},
                "office": {"move_deadline"}, "viewer": set(), "expert": set(), "natres": set(), "other-township": None,
                holder_of(engine, drill.facts.permit_no): {"submit_document", "report_works_done", "apply_resume_production",
                                                           "apply_cancellation"}}
    for name, verbs in expected.items():
        async with browser(app) as http:
            await sign_in(http, name)
            page = await http.get(url)
            if verbs is None:
                assert page.status_code == 403 and "无权" in page.text
                continue
            assert page.status_code == 200
            assert verbs_offered(page.text) == verbs, name
            assert 'data-testid="timeline"' in page.text and "登记停产矿山" in page.text


async def test_forms_move_the_case_and_a_refused_input_is_shown_as_a_message(app, new_case):
    drill = await new_case(township=TOWNSHIP)
    url = f"/cases/{drill.facts.permit_no}"
    async with browser(app) as http:
        await sign_in(http, "county")
        refused = await http.post(f"{url}/act/decide_disposition", data={"approve": "true"})
        assert refused.status_code == 303
        page = (await http.get(url)).text
        assert "flash error" in page and "阶段" in page
    async with browser(app) as http:
        await sign_in(http, "township")
        await http.post(f"{url}/act/propose_disposition", data={"path": "continue", "reason": "", "comment": "", "request_id": "r1"})
        page = (await http.get(url)).text
        assert "flash ok" in page and "处置意见审批中" in page
        assert (await drill.status()).stage == "disposition_review"
        blocked = await http.post(f"{url}/act/decide_disposition", data={"approve": "true"})
        assert "flash error" in (await http.get(url)).text and blocked.status_code == 303
    assert (await drill.status()).stage == "disposition_review"


async def test_an_unknown_case_page_is_404(app):
    async with browser(app) as http:
        await sign_in(http, "office")
        answer = await http.get("/cases/C0000000000000000000000")
        assert answer.status_code == 404 and "C0000000000000000000000" in answer.text


async def test_sign_in_never_redirects_to_another_site(app):
    async with browser(app) as http:
        answer = await http.post("/login", data={"name": "office", "password": PASSWORD, "next": "//evil.example/x"})
        assert answer.headers["location"] == "/board"
        answer = await http.post("/login", data={"name": "office", "password": PASSWORD, "next": "/cases"})
        assert answer.headers["location"] == "/cases"
