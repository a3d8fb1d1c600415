"""One module per place of the console, plus its dialogs."""

from .account import AccountScreen
from .accounts import AccountsScreen
from .assign import AssignDialog
from .audit import AuditScreen
from .base import Place
from .confirm import ConfirmDialog
from .help import HelpScreen
from .orders import OrdersScreen
from .partners import PartnersScreen
from .report import ReportScreen
from .user import UserScreen
from .why import WhyPanel

__all__ = ["AccountScreen", "AccountsScreen", "AssignDialog", "AuditScreen", "ConfirmDialog",
           "HelpScreen", "OrdersScreen", "PartnersScreen", "Place", "ReportScreen", "UserScreen",
           "WhyPanel"]
