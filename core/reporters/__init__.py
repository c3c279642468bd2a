"""Report formats. Each module is a plugin implementing ``listguard_output_formats``."""
