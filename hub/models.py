"""Imports every model module so metadata (and Alembic) knows all tables."""

from hub.accounts import models as accounts_models  # noqa: F401
from hub.audit import models as audit_models  # noqa: F401
from hub.booking import models as booking_models  # noqa: F401
from hub.building import models as building_models  # noqa: F401
from hub.calendar import models as calendar_models  # noqa: F401
from hub.kiosk import models as kiosk_models  # noqa: F401
from hub.sensors import models as sensors_models  # noqa: F401
