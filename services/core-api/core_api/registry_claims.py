"""Which registry changes are claimed before they are applied.

FerretDB v1 tells every one of several concurrent conditional updates that it matched, so a
revision check alone lets concurrent changes overwrite one another. Each change therefore
first claims its transition in the store (`platform_common.claims`): exactly one claimant of
"fragment X from revision 3" goes on; the others are refused and change nothing."""

from datetime import timedelta
from typing import Any

from pymongo.asynchronous.database import AsyncDatabase

from platform_common.claims import TransitionClaims

# In core-api's own database, shared with any other core-api change that claims its versions.
CLAIMS_COLLECTION = "version_claims"

# A fragment moving on from one revision (activate, roll back, canary, enable, disable...).
FRAGMENT_REVISION = "fragment"
# A write to an override grant (a use, the revocation) made when it had been used n times.
OVERRIDE_STEP = "fragment-override"

REGISTRY_CLAIM_KINDS = (FRAGMENT_REVISION, OVERRIDE_STEP)

# A claim only has to outlive its winner's single update (milliseconds). One older than this
# whose winner died before updating would block every later change, so it is released.
STUCK_CLAIM_AFTER = timedelta(minutes=1)


def registry_claims(database: AsyncDatabase[dict[str, Any]]) -> TransitionClaims:
    return TransitionClaims(database[CLAIMS_COLLECTION])
