from django.apps import AppConfig


class CreditConfig(AppConfig):
    name = "credit"
    verbose_name = "Crédit et recouvrement"

    def ready(self):
        from credit.reminders import register_message_kinds
        from credit.services import loan_communes, loan_cooperative_communes, loans_merge_person
        from registry.cooperative_hooks import register_cooperative_communes
        from registry.merge_hooks import register_person_merge_hook

        register_person_merge_hook("credit", move=loans_merge_person, communes=loan_communes)
        register_cooperative_communes("credit", loan_cooperative_communes)

        from credit.payment_purposes import DisbursementPayoutPurpose, LoanRepaymentPurpose
        from payments import purposes

        purposes.register(LoanRepaymentPurpose.code, LoanRepaymentPurpose())
        purposes.register_payout(DisbursementPayoutPurpose.code, DisbursementPayoutPurpose())
        register_message_kinds()
