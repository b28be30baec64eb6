"""Integrity clusters (seed 000) as pure rules: the operating rules as data (rules), vote
outcomes (votes), terms of office (terms), dues (dues), cluster activity as the effort
bonus (activity) and the shared calendar's iCalendar text (calendar). No Django here."""

from .activity import ACTIVITY_KINDS, Activity, counted, participation
from .dues import Payment, dues_status
from .rules import ClusterRules, RulesError, default_rules, default_rules_data, parse_rules
from .terms import Term, renewal_problem, term_end, term_warning
from .votes import INQUORATE, PASSED, REJECTED, CountError, Outcome, outcome

__all__ = ["ACTIVITY_KINDS", "Activity", "ClusterRules", "CountError", "INQUORATE", "Outcome", "PASSED", "Payment",
           "REJECTED", "RulesError", "Term", "counted", "default_rules", "default_rules_data", "dues_status", "outcome",
           "parse_rules", "participation", "renewal_problem", "term_end", "term_warning"]
