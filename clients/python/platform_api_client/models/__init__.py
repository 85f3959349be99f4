"""Contains all the data models used in inputs/outputs"""

from .audit_entry_out import AuditEntryOut
from .audit_entry_out_after_type_0 import AuditEntryOutAfterType0
from .audit_entry_out_before_type_0 import AuditEntryOutBeforeType0
from .audit_page import AuditPage
from .auth_health_live_response_auth_health_live import AuthHealthLiveResponseAuthHealthLive
from .body_password_forgot import BodyPasswordForgot
from .body_password_reset import BodyPasswordReset
from .body_session_login import BodySessionLogin
from .body_token_issue import BodyTokenIssue
from .body_verification_confirm import BodyVerificationConfirm
from .body_verification_request import BodyVerificationRequest
from .bulk_result import BulkResult
from .bulk_status_change import BulkStatusChange
from .bulk_status_change_expected_versions import BulkStatusChangeExpectedVersions
from .canary import Canary
from .canary_in import CanaryIn
from .client_create import ClientCreate
from .client_created import ClientCreated
from .client_read import ClientRead
from .client_token_response import ClientTokenResponse
from .core_api_health_live_response_core_api_health_live import (
    CoreApiHealthLiveResponseCoreApiHealthLive,
)
from .day_count import DayCount
from .directory_entry import DirectoryEntry
from .error_body import ErrorBody
from .fragment_in import FragmentIn
from .fragment_origins_in import FragmentOriginsIn
from .fragment_out import FragmentOut
from .fragments_health_response_fragments_health import FragmentsHealthResponseFragmentsHealth
from .gateway_health_live_response_gateway_health_live import (
    GatewayHealthLiveResponseGatewayHealthLive,
)
from .gateway_health_ready_response_503 import GatewayHealthReadyResponse503
from .health_report_accepted import HealthReportAccepted
from .health_report_in import HealthReportIn
from .health_report_in_failure_type_0 import HealthReportInFailureType0
from .health_report_in_outcome import HealthReportInOutcome
from .keys_jwks_response_keys_jwks import KeysJwksResponseKeysJwks
from .keys_openid_configuration_response_keys_openid_configuration import (
    KeysOpenidConfigurationResponseKeysOpenidConfiguration,
)
from .manifest import Manifest
from .manifest_fragment import ManifestFragment
from .manifest_shared import ManifestShared
from .manifest_stylesheet import ManifestStylesheet
from .member_out import MemberOut
from .member_put import MemberPut
from .nav import Nav
from .override_in import OverrideIn
from .override_issued import OverrideIssued
from .override_out import OverrideOut
from .priority import Priority
from .project_create import ProjectCreate
from .project_out import ProjectOut
from .project_page import ProjectPage
from .project_role import ProjectRole
from .project_update import ProjectUpdate
from .rebuilt import Rebuilt
from .refresh_request import RefreshRequest
from .session_read import SessionRead
from .sign_up import SignUp
from .stats import Stats
from .stats_by_priority import StatsByPriority
from .stats_by_status import StatsByStatus
from .stats_open_by_assignee import StatsOpenByAssignee
from .stylesheet import Stylesheet
from .stylesheet_in import StylesheetIn
from .task_create import TaskCreate
from .task_out import TaskOut
from .task_page import TaskPage
from .task_sort import TaskSort
from .task_status import TaskStatus
from .task_update import TaskUpdate
from .token_response import TokenResponse
from .user_page import UserPage
from .user_read import UserRead
from .user_update import UserUpdate
from .version_in import VersionIn
from .version_in_shared import VersionInShared
from .version_out import VersionOut
from .version_out_shared import VersionOutShared
from .version_ref import VersionRef

__all__ = (
    "AuditEntryOut",
    "AuditEntryOutAfterType0",
    "AuditEntryOutBeforeType0",
    "AuditPage",
    "AuthHealthLiveResponseAuthHealthLive",
    "BodyPasswordForgot",
    "BodyPasswordReset",
    "BodySessionLogin",
    "BodyTokenIssue",
    "BodyVerificationConfirm",
    "BodyVerificationRequest",
    "BulkResult",
    "BulkStatusChange",
    "BulkStatusChangeExpectedVersions",
    "Canary",
    "CanaryIn",
    "ClientCreate",
    "ClientCreated",
    "ClientRead",
    "ClientTokenResponse",
    "CoreApiHealthLiveResponseCoreApiHealthLive",
    "DayCount",
    "DirectoryEntry",
    "ErrorBody",
    "FragmentIn",
    "FragmentOriginsIn",
    "FragmentOut",
    "FragmentsHealthResponseFragmentsHealth",
    "GatewayHealthLiveResponseGatewayHealthLive",
    "GatewayHealthReadyResponse503",
    "HealthReportAccepted",
    "HealthReportIn",
    "HealthReportInFailureType0",
    "HealthReportInOutcome",
    "KeysJwksResponseKeysJwks",
    "KeysOpenidConfigurationResponseKeysOpenidConfiguration",
    "Manifest",
    "ManifestFragment",
    "ManifestShared",
    "ManifestStylesheet",
    "MemberOut",
    "MemberPut",
    "Nav",
    "OverrideIn",
    "OverrideIssued",
    "OverrideOut",
    "Priority",
    "ProjectCreate",
    "ProjectOut",
    "ProjectPage",
    "ProjectRole",
    "ProjectUpdate",
    "Rebuilt",
    "RefreshRequest",
    "SessionRead",
    "SignUp",
    "Stats",
    "StatsByPriority",
    "StatsByStatus",
    "StatsOpenByAssignee",
    "Stylesheet",
    "StylesheetIn",
    "TaskCreate",
    "TaskOut",
    "TaskPage",
    "TaskSort",
    "TaskStatus",
    "TaskUpdate",
    "TokenResponse",
    "UserPage",
    "UserRead",
    "UserUpdate",
    "VersionIn",
    "VersionInShared",
    "VersionOut",
    "VersionOutShared",
    "VersionRef",
)
