"""Team-mode fixtures: see tests/team_fixture.py."""

from tests.team_fixture import Team, team

__all__ = ["Team", "team"]
