from django.apps import AppConfig


class TrainingConfig(AppConfig):
    name = "training"
    verbose_name = "Formation et suivi"

    def ready(self):
        from registry.merge_hooks import register_person_merge_hook
        from training.services import participant_communes, participants_merge_person

        register_person_merge_hook(
            "training", move=participants_merge_person, communes=participant_communes
        )
