"""Configuration: listguard.toml or [tool.listguard], defaults from SPEC §3, flags win."""

from __future__ import annotations

from pathlib import Path

import pytest

from listguard.cli import main
from listguard.config import Config, ConfigError, find_config_file, load_config
from listguard.model import Severity


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_follow_the_spec():
    config = Config()
    assert config.time_budget == 60 and config.warning_days == 60
    assert config.market_languages["AE"] == ("ar", "en")
    assert config.required_certificates_for({"markets": ["ES"], "category": "audio"}) == ["CE"]
    assert config.required_certificates_for(
        {"markets": ["US"], "radio": True, "category": "toy"}
    ) == ["FCC", "EN71"]
    assert config.required_certificates_for({"markets": ["US"], "category": "lighting"}) == [
        "IEC62471"
    ]


def test_listguard_toml_is_found_from_a_subfolder(tmp_path):
    write(tmp_path / "listguard.toml", "warning-days = 30\n")
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    assert find_config_file(sub) == tmp_path / "listguard.toml"
    assert load_config(start=sub).warning_days == 30


def test_pyproject_tool_listguard_table_is_read(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.listguard]\nignore = ["VID005"]\n')
    assert load_config(start=tmp_path).ignore == ("VID005",)


def test_pyproject_without_the_table_is_skipped(tmp_path):
    write(tmp_path / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config_file(tmp_path) is None


def test_brand_kit_path_is_relative_to_the_config_file(tmp_path):
    config = load_config(write(tmp_path / "listguard.toml", 'brand-kit = "kit"\n'))
    assert config.brand_kit == tmp_path / "kit"


def test_severity_override_and_off(tmp_path):
    config = load_config(
        write(tmp_path / "listguard.toml", '[severity]\nMAN005 = "error"\nVID005 = "off"\n')
    )
    assert config.severity["MAN005"] is Severity.ERROR
    assert not config.rule_enabled("VID005")


def test_select_prefix_and_ignore_code():
    config = Config(select=("CERT", "LG"), ignore=("CERT003",))
    assert config.rule_enabled("CERT002") and config.rule_enabled("LG001")
    assert not config.rule_enabled("CERT003") and not config.rule_enabled("WM001")


def test_market_languages_extend_the_defaults(tmp_path):
    config = load_config(
        write(tmp_path / "listguard.toml", '[market-languages]\nCH = ["de", "fr", "it"]\n')
    )
    assert config.market_languages["CH"] == ("de", "fr", "it")
    assert config.market_languages["ES"] == ("es",)


def test_required_certificates_table_replaces_the_policy(tmp_path):
    config = load_config(
        write(
            tmp_path / "listguard.toml",
            '[[required-certificates]]\nmarkets = ["GB"]\ncertificates = ["UKCA"]\n',
        )
    )
    assert config.required_certificates_for({"markets": ["GB"]}) == ["UKCA"]
    assert config.required_certificates_for({"markets": ["ES"]}) == []


def test_archive_limits_are_configurable(tmp_path):
    config = load_config(write(tmp_path / "listguard.toml", "[archive]\nmax-members = 10\n"))
    assert config.archive.max_members == 10


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("colour = 1\n", "colour"),
        ('time-budget = "long"\n', "time-budget"),
        ("time-budget = -1\n", "time-budget"),
        ('fail-on = "sometimes"\n', "fail-on"),
        ('[severity]\nLG001 = "fatal"\n', "severity.LG001"),
        ("[archive]\nmax-size = 1\n", "archive"),
        ('select = ["not a code"]\n', "select"),
        ("[[required-certificates]]\nmarkets = []\n", "certificates"),
    ],
)
def test_bad_config_is_an_error_naming_the_key(tmp_path, text, key):
    with pytest.raises(ConfigError, match=key.split(".")[0]):
        load_config(write(tmp_path / "listguard.toml", text))


def test_unparseable_toml_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_config(write(tmp_path / "listguard.toml", "this is = = not toml"))


def test_bad_config_makes_the_cli_exit_2_naming_the_key(tmp_path, listing_factory, capsys):
    config = write(tmp_path / "listguard.toml", "colour = 1\n")
    status = main(["check", str(listing_factory()), "--config", str(config), "--no-entrypoints"])
    err = capsys.readouterr().err
    assert status == 2 and "'colour'" in err


def test_unknown_plugin_option_is_an_error(tmp_path, listing_factory, capsys):
    config = write(tmp_path / "listguard.toml", "[plugins.no-such-plugin]\nx = 1\n")
    status = main(["check", str(listing_factory()), "--config", str(config), "--no-entrypoints"])
    assert status == 2 and "no-such-plugin" in capsys.readouterr().err


def test_flags_win_over_the_config_file(tmp_path, listing_factory, capsys):
    from listguard.testing import base_manifest

    config = write(tmp_path / "listguard.toml", 'fail-on = "never"\n')
    package = listing_factory(base_manifest(manuals=[{"file": "missing.pdf"}]))
    args = ["check", str(package), "--config", str(config), "--no-entrypoints", "--jobs", "0"]
    assert main(args) == 0
    assert main([*args, "--fail-on", "error"]) == 1
