"""A plugin module loaded with ``-p plugins_for_tests_module`` in the tests."""

from listguard import Rule, Severity, hookimpl


@hookimpl
def listguard_register_rules():
    return [Rule("MOD001", "module-rule", Severity.INFO, "a rule from a -p module")]
