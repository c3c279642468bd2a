pytest_plugins = ["listguard.testing"]
