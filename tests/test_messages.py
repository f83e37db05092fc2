"""Messages in Chinese and English from a real gettext catalogue; approvals that
explain themselves; enumerated terms declared by the library."""

from __future__ import annotations

import inspect
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import click
import pytest
import yaml

from conftest import Result
from propgen.i18n import catalogue, translate_text
from support import ROOT

Run = Callable[..., Result]
SAAS_SAMPLE = ROOT / "templates" / "industry" / "saas" / "sample.en-US.yaml"
PLACEHOLDER = re.compile(r"\{(\w+)")


def extracted() -> set[str]:
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        from messages import extracted as extract  # type: ignore[import-not-found]
    finally:
        sys.path.pop(0)
    found: set[str] = set(extract())
    return found


def test_both_catalogues_are_complete() -> None:
    """English is the source language: every message is its own msgid. Chinese
    translates every one, with the same placeholders."""
    messages = extracted()
    assert len(messages) > 100
    chinese = catalogue("zh-CN")
    missing = sorted(m for m in messages if not chinese.get(m))
    assert not missing, f"untranslated: {missing[:10]}"
    for msgid in messages:
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(chinese[msgid])), msgid
    assert catalogue("en-US") == {}
    stale = sorted(set(chinese) - messages)
    assert not stale, f"in the catalogue but no longer used: {stale[:10]}"
    tool = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "messages.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert tool.returncode == 0, tool.stdout + tool.stderr


def test_a_message_is_translated_with_its_values() -> None:
    text = "payment_schedule percents add up to 90, not 100"
    assert translate_text(text, "zh-CN") == "付款安排各期比例合计为 90，而非 100"
    assert translate_text(text, "en-US") == text
    nested = "Input should be a valid decimal (got '13%')"
    assert translate_text(nested, "zh-CN") == "应为有效的数字（实际为 '13%'）"
    assert translate_text("no entry for this one", "zh-CN") == "no entry for this one"


def test_a_resource_limit_speaks_chinese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The limit names the document it stopped, in the reader's language."""
    from propgen.errors import ResourceLimit
    from propgen.guard import limits

    monkeypatch.setenv("PROPGEN_TIME_LIMIT", "0.05")
    with pytest.raises(ResourceLimit) as caught, limits("the DOCX of PG-1 (proposal)"):
        while True:
            pass
    problem = caught.value.problems[0]
    assert (
        translate_text(problem.message, "zh-CN")
        == "PG-1 建议书的 DOCX 文件：耗时超过 0.05 秒，已停止"
    )
    assert translate_text(problem.hint or "", "zh-CN").startswith("请精简需求记录")
    held = "document PG-1 (contract): has 61,000 table cells; propgen lays out at most 60,000"
    assert (
        translate_text(held, "zh-CN")
        == "文件 PG-1（合同）：表格单元格共 61,000 个，propgen 最多排版 60,000 个"
    )


def test_check_speaks_the_records_language(run: Run) -> None:
    result = run("check", ROOT / "tests" / "fixtures" / "huaxin-manufacturing.zh.yaml")
    assert result.code == 0, result.err
    assert "：通过 —— PG-2026-0157" in result.out
    assert "小计 ¥1,407,200.00" in result.out and "合计 ¥1,542,431.92" in result.out
    assert "需经 general-counsel 批准" in result.out
    english = run("check", ROOT / "tests" / "fixtures" / "northwind-saas.en.yaml")
    assert ": ok — " in english.out and "subtotal $" in english.out


def test_errors_follow_lang(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "deal.yaml"
    path.write_text(
        SAAS_SAMPLE.read_text(encoding="utf-8").replace(
            'unit_price: "38.00"', 'unit_price: "¥6,500"'
        )
    )
    result = run("--lang", "zh-CN", "check", path)
    assert result.code == 2
    assert "错误：" in result.err and "应为有效的数字（实际为 '¥6,500'）" in result.err
    assert "请写为 '6500'：只用数字和小数点，不带货币符号和千位分隔符" in result.err
    assert "Error" not in result.err


def test_lang_comes_from_the_environment(tmp_path: Path) -> None:
    env = {"LANG": "zh_CN.UTF-8", "PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-m", "propgen", "render", str(tmp_path / "none.yaml")],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert done.returncode == 2 and done.stderr.startswith("错误："), done.stderr


# --- enumerated terms --------------------------------------------------------


def test_an_sla_tier_the_library_does_not_offer_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "deal.yaml"
    text = SAAS_SAMPLE.read_text(encoding="utf-8")
    path.write_text(text.replace("  term_months: 12\n", "  term_months: 12\n  sla: gold\n"))
    result = run("check", path)
    assert result.code == 2
    assert (
        "terms.sla: 'gold' is not offered by the library; choose from standard, premium, "
        "enterprise" in result.err
    )
    path.write_text(text.replace("  term_months: 12\n", "  term_months: 12\n  sla: premum\n"))
    assert "did you mean 'premium'?" in run("check", path).err


# --- approvals ---------------------------------------------------------------


def deal_with(tmp_path: Path, change: Callable[[dict], None]) -> Path:  # type: ignore[type-arg]
    data = yaml.safe_load(SAAS_SAMPLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "deal.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_check_prints_the_entry_that_clears_each_deviation(run: Run, tmp_path: Path) -> None:
    def discount(data: dict) -> None:  # type: ignore[type-arg]
        data["pricing"]["discount_pct"] = "12"

    path = deal_with(tmp_path, discount)
    result = run("check", path)
    assert result.code == 0, result.err
    assert "deviation: deal discount 12% is above the limit of 10% — NEEDS APPROVAL by " in (
        result.out
    )
    entry = "- {what: deal-discount, role: sales-director, who: <name>, date: <YYYY-MM-DD>}"
    assert f"to approve, add under approvals: {entry}" in result.out
    strict = run("check", "--strict", path)
    assert strict.code == 3 and "1 deviation(s) still need approval" in strict.err

    def approved(data: dict) -> None:  # type: ignore[type-arg]
        discount(data)
        data["approvals"] = [
            {"what": "deal-discount", "role": "sales-director", "who": "Ann", "date": "2027-01-05"}
        ]

    path = deal_with(tmp_path, approved)
    result = run("check", "--strict", path)
    assert result.code == 0, result.err
    assert "approved by Ann (2027-01-05)" in result.out


@pytest.mark.parametrize(
    ("approval", "expected"),
    [
        (
            {"what": "deal-discont", "role": "sales-director"},
            "approvals[0].what: 'deal-discont' matches no deviation of this deal — "
            "did you mean 'deal-discount'?",
        ),
        (
            {"what": "deal-discount", "role": "general-counsel"},
            "approvals[0].role: deal-discount needs approval by sales-director, "
            "not general-counsel",
        ),
        (
            {"what": "deal-discount", "role": "sales-directer"},
            "approvals[0].role: 'sales-directer' is not a role of the approval policy",
        ),
        (
            {"what": "deal-discount", "role": "sales-director", "date": "2027-03-01"},
            "approvals[0].date: approval dated 2027-03-01, after the document date 2027-01-11",
        ),
    ],
)
def test_an_approval_that_clears_nothing_is_an_error(
    run: Run, tmp_path: Path, approval: dict[str, str], expected: str
) -> None:
    def change(data: dict) -> None:  # type: ignore[type-arg]
        data["pricing"]["discount_pct"] = "12"
        data["approvals"] = [{"who": "Ann", "date": "2027-01-05", **approval}]

    result = run("check", deal_with(tmp_path, change))
    assert result.code == 2
    assert expected in result.err


def test_a_misspelt_role_fails_library_check(run: Run, tmp_path: Path) -> None:
    import shutil

    lib = tmp_path / "lib"
    shutil.copytree(ROOT / "templates", lib / "templates")
    shutil.copytree(ROOT / "snippets", lib / "snippets")
    policy = lib / "snippets" / "policy.yaml"
    policy.write_text(
        policy.read_text(encoding="utf-8").replace(
            "deal_discount_pct: {max: 10, approval: sales-director}",
            "deal_discount_pct: {max: 10, approval: sales-directr}",
        ),
        encoding="utf-8",
    )
    result = run("library", "check", "--library", lib)
    assert result.code == 2
    assert "role 'sales-directr' is not declared under roles" in result.err


# --- presales text -----------------------------------------------------------


def test_presales_text_is_evaluated_in_the_library_sandbox(run: Run, tmp_path: Path) -> None:
    def change(data: dict) -> None:  # type: ignore[type-arg]
        data["customer"]["name"] = "Fernhill {{ 7 * 7 }}"  # a value: stays literal
        data["sections"] = [
            {
                "id": "notes",
                "after": "executive-summary",
                "title": "Notes",
                "text": "For {{ customer.name }}: {{ pricing.total | money }} in all.",
            }
        ]

    out = tmp_path / "out"
    result = run("render", deal_with(tmp_path, change), "-o", out, "--format", "html")
    assert result.code == 0, result.err
    page = next(out.glob("*-proposal.html")).read_text(encoding="utf-8")
    assert 'For Fernhill {{ 7 * 7 }}: <span class="nobr">$' in page and "in all." in page
    assert "{{ customer.name }}" not in page and "49" not in page.split("For Fernhill")[1][:20]

    def unknown(data: dict) -> None:  # type: ignore[type-arg]
        data["sections"] = [{"id": "solution", "text": "Hello {{ customer.nam }}"}]

    result = run("check", deal_with(tmp_path, unknown))
    assert result.code == 2
    assert "deal.yaml:" in result.err and "nam" in result.err and "Traceback" not in result.err


# --- the catalogue -----------------------------------------------------------


def test_library_show_lists_what_presales_and_legal_need(run: Run) -> None:
    result = run("library", "show", "saas", "--locale", "en-US")
    assert result.code == 0, result.err
    out = result.out
    assert "saas [en-US]: Software as a Service" in out
    assert re.search(r"case-studies +Customer results +\(variants brief; owner ", out)
    assert re.search(r"acceptance +Acceptance +\(locked; owner presales@example.com\)", out)
    assert re.search(r"fallback-1 +needs general-counsel", out)
    assert "terms.sla: standard (Standard), premium (Premium), enterprise (Enterprise)" in out
    assert re.search(r"deal-discount +sales-director +pricing.discount_pct above 10", out)
    assert re.search(r"clause:limitation-of-liability +general-counsel", out)
    assert run("library", "show", "mining").code == 2
    both = run("library", "show", "retail").out
    assert "retail [en-US]" in both and "retail [zh-CN]: 零售" in both


def test_a_chinese_record_hears_the_models_own_checks_in_chinese(run: Run, tmp_path: Path) -> None:
    """Currency, id, reference and hidden-character checks speak the record's language."""
    text = (ROOT / "templates" / "industry" / "retail" / "sample.zh-CN.yaml").read_text(
        encoding="utf-8"
    )
    path = tmp_path / "deal.yaml"
    path.write_text(
        text.replace("currency: CNY", "currency: CNYY")
        .replace("industry: retail", "industry: Retail")
        .replace("reference: ", "reference: Р", 1)
        .replace("legal_name: ", "legal_name: \u202e", 1),
        encoding="utf-8",
    )
    result = run("check", path)
    assert result.code == 2
    assert "'CNYY' 不是现行的 ISO 4217 货币代码" in result.err
    assert (
        "'Retail' 不是有效的标识：请使用小写字母、数字和连字符；是否应为 'retail'？" in result.err
    )
    assert "混用了 Cyrillic and Latin 字母" in result.err
    assert "文档无法容纳该字符" in result.err
    assert "is not" not in result.err and "contains" not in result.err


# --- --help ------------------------------------------------------------------


def _commands(group: click.Group, path: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    found: list[tuple[str, ...]] = [path]
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _commands(command, (*path, name))
        else:
            found.append((*path, name))
    return found


def test_help_follows_lang_for_every_command(run: Run, monkeypatch: pytest.MonkeyPatch) -> None:
    """click's words and ours, in Chinese, laid out by display width; English help
    unchanged (help.txt: tests/test_imports.py)."""
    from propgen.cli import cli
    from propgen.cli_help import display_width, help_texts

    monkeypatch.setenv("COLUMNS", "80")
    english = set(help_texts(cli)) - {"Options", "Commands", "required"}
    chinese = catalogue("zh-CN")
    commands = _commands(cli)
    assert len(commands) >= 17
    for path in commands:
        result = run("--lang", "zh-CN", *path, "--help")
        assert result.code == 0, (path, result.err)
        text = result.out
        assert text.startswith(f"用法：propgen {' '.join(path)}".rstrip()), text
        assert "选项：" in text and "显示本帮助后退出。" in text, text
        leaked = [m for m in english if m.split("\n")[0] in text]
        assert not leaked, (path, leaked)
        assert max(display_width(line) for line in text.splitlines()) <= 80, text
        if path and path != ("library",):
            command = cli.get_command(click.Context(cli), path[0])
            assert command is not None
            for name in path[1:]:
                assert isinstance(command, click.Group)
                command = command.commands[name]
            assert command.help
            first = chinese[inspect.cleandoc(command.help)].split("\n")[0]
            assert first[:20] in text.replace("\n  ", ""), (path, first)
    render = run("--lang", "zh-CN", "render", "--help").out
    assert "输出文件夹。[默认：out]" in render
    new = run("--lang", "zh-CN", "new", "--help").out
    assert "[必填]" in new
    assert "Usage:" in run("--lang", "en-US", "render", "--help").out


def test_help_follows_the_environment() -> None:
    """``LANG=zh_CN.UTF-8 propgen --help`` (not the stored English help.txt)."""
    for lang, first, heading in (
        ("zh_CN.UTF-8", "用法：propgen", "命令："),
        ("C.UTF-8", "Usage: propgen", "Commands:"),
    ):
        env = {"LANG": lang, "COLUMNS": "100", "PATH": "/usr/bin:/bin"}
        env["PYTHONPATH"] = str(ROOT / "src")
        done = subprocess.run(
            [sys.executable, "-m", "propgen", "--help"],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        assert done.returncode == 0 and done.stdout.startswith(first), done.stdout
        assert heading in done.stdout


def test_usage_errors_follow_lang(run: Run, tmp_path: Path) -> None:
    """click's usage errors: the usage line, the hint to --help and the error, in
    Chinese with the exit code click gives (2); English unchanged."""
    sample = ROOT / "tests" / "fixtures" / "huaxin-manufacturing.zh.yaml"
    cases = {
        ("check",): "错误：缺少参数 'NEEDS...'。",
        ("check", "--stict", sample): "错误：没有 '--stict' 这个选项。是否应为 '--strict'？",
        ("nosuch",): "错误：没有 'nosuch' 这个命令。",
        ("render", "-j", "0", sample): "错误：'-j' / '--jobs' 的值无效：0 不在范围 x>=1 内。",
        ("render", "--format", "xx", sample): (
            "错误：值无效：请从 docx, pdf, html 中选择（实际为 'xx'）"
        ),
        (
            "verify",
            tmp_path / "none",
        ): f"错误：'OUT_DIR' 的值无效：文件夹 '{tmp_path / 'none'}' 不存在。",
        ("new", "--locale", "zh-CN"): "错误：缺少选项 '--industry'。",
    }
    for args, error in cases.items():
        result = run("--lang", "zh-CN", *args)
        assert result.code == 2, (args, result.err)
        usage, hint, blank, shown = result.err.splitlines()[:4]
        assert blank == ""
        assert usage.startswith("用法：propgen") and hint.startswith("运行 'propgen"), result.err
        assert shown == error, result.err
    english = run("--lang", "en-US", "check")
    assert english.code == 2
    assert "Try 'propgen check --help' for help." in english.err
    assert "Error: Missing argument 'NEEDS...'." in english.err


def test_catalogue_commands_follow_lang(run: Run) -> None:
    """``industries`` and ``library show``: titles, labels, clause states and the
    approval keys' conditions in Chinese; ids and field paths as they are."""
    listed = run("--lang", "zh-CN", "industries")
    assert listed.code == 0, listed.err
    assert "retail: 零售 [en-US, zh-CN]" in listed.out
    assert "  建议书章节：executive-summary, " in listed.out
    assert "  合同条款：definitions, " in listed.out
    shown = run("--lang", "zh-CN", "library", "show", "retail", "--locale", "zh-CN")
    assert shown.code == 0, shown.err
    assert re.search(r"confidentiality +保密  \(已批准; 已锁定; 负责人 ", shown.out)
    assert re.search(r"line-discount:<sku> +sales-director +单项的 discount_pct 高于 15", shown.out)
    assert re.search(r"clause:language +general-counsel +选用标准立场以外的任何立场", shown.out)
    english = run("--lang", "en-US", "industries").out
    assert "retail: Retail [en-US, zh-CN]" in english and "  proposal: executive-summary" in english


def test_cli_errors_follow_lang(run: Run, tmp_path: Path) -> None:
    existing = tmp_path / "deal.yaml"
    existing.write_text("x: 1\n", encoding="utf-8")
    made = run(
        "--lang", "zh-CN", "new", "--industry", "retail", "--locale", "zh-CN", "-o", existing
    )
    assert made.code == 2
    assert made.err == f"错误：{existing}: 已存在 — 请换一个文件名，或加上 --force\n"
    shown = run("--lang", "zh-CN", "library", "show", "nosuch")
    assert shown.code == 2
    assert "错误：INDUSTRY: 未知行业 'nosuch' — 请从 financial-services, " in shown.err


def test_unreadable_records_follow_lang(run: Run, tmp_path: Path) -> None:
    """A record that cannot be read has no locale yet: its errors follow --lang."""
    duplicate = tmp_path / "dup.yaml"
    duplicate.write_text("document:\n  a: 1\n  a: 2\n", encoding="utf-8")
    broken = tmp_path / "syntax.yaml"
    broken.write_text("document: [x\n", encoding="utf-8")
    listed = tmp_path / "list.yaml"
    listed.write_text("- 1\n", encoding="utf-8")
    missing = tmp_path / "none.yaml"
    result = run("--lang", "zh-CN", "check", duplicate, broken, listed, missing)
    assert result.code == 2
    lines = result.err.splitlines()
    assert (
        f"错误：{duplicate}:3: document.a: 键 'a' 重复（首次出现在第 2 行） — 请只保留其中一个"
        in lines
    )
    assert f"错误：{broken}:2: YAML 语法错误：did not find expected ',' or ']'（第 1 列）" in lines
    assert f"错误：{listed}:1: 应为字段映射，但文件内容是列表" in lines
    assert f"错误：{missing}: 无法读取文件：文件不存在" in lines


def test_bilingual_row_problems_translate() -> None:
    """A bilingual contract's row problems (check and library check): the row's
    place wraps the problem, both in Chinese."""
    from propgen.document import Paragraph, Text
    from propgen.figures import compare_row, text_figures

    zh = (Paragraph((Text("总价款为¥1,000.00（大写：人民币壹仟零壹元整）"),)),)
    en = (Paragraph((Text("the total is CN¥1,000.00"),)),)
    [problem] = compare_row("fees", 2, ("zh-CN", zh), ("en-US", en), text_figures("¥1,000.00"))
    assert problem.message == (
        "clause 'fees', row 2: the amount in capitals '壹仟零壹元整' is 1001, "
        "which no figure of the clause states"
    )
    assert translate_text(problem.message, "zh-CN") == (
        "条款 'fees' 第 2 行：大写金额 '壹仟零壹元整' 为 1001，与本条款中的任何数字均不对应"
    )
    assert translate_text(problem.hint, "zh-CN") == "小写金额与大写金额须取自同一数值"


def test_output_folder_errors_follow_lang(run: Run, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("", encoding="utf-8")
    sample = ROOT / "tests" / "fixtures" / "huaxin-manufacturing.zh.yaml"
    inside = blocker / "out"
    result = run("--lang", "zh-CN", "render", sample, "-o", inside, "--format", "html")
    assert result.code == 2
    assert result.err.startswith(f"错误：{inside}: 无法用作输出文件夹："), result.err
    assert result.err.endswith(" — 请用 -o 指定其他文件夹\n"), result.err
