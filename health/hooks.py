"""What health registers with the lower apps (filled in HealthConfig.ready)."""


def register_all() -> None:
    """Nothing yet: the payments purpose and the person-merge hook come when those
    registries are on main."""
