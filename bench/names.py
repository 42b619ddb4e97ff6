"""Senegalese first and last names for synthetic data (common, public names)."""

FIRST_NAMES_F = [
    "Aïssatou", "Aminata", "Awa", "Fatou", "Fatoumata", "Khady", "Mariama", "Ndèye", "Coumba",
    "Binta", "Astou", "Rokhaya", "Adama", "Seynabou", "Dieynaba", "Maimouna", "Sokhna", "Yacine",
    "Ramatoulaye", "Oumou", "Kiné", "Mame Diarra", "Penda", "Nafi", "Absa", "Bineta", "Marème",
]
FIRST_NAMES_M = [
    "Mamadou", "Moussa", "Ibrahima", "Cheikh", "Ousmane", "Abdoulaye", "Modou", "Aliou",
    "Babacar", "Saliou", "Pape", "Serigne", "Amadou", "Lamine", "Boubacar", "Demba", "Samba",
    "Mor", "Malick", "Alioune", "Idrissa", "Souleymane", "Youssou", "El Hadji", "Omar", "Birame",
]
LAST_NAMES = [
    "Diop", "Ndiaye", "Fall", "Sow", "Ba", "Sarr", "Diallo", "Faye", "Gueye", "Cissé", "Mbaye",
    "Diouf", "Kane", "Sy", "Thiam", "Ndour", "Seck", "Camara", "Touré", "Niang", "Dieng", "Sall",
    "Mané", "Badji", "Sané", "Diatta", "Kouyaté", "Barry", "Baldé", "Konaté", "Wade", "Lo",
]
COOP_ACTIVITIES = [
    ("transformation-agroalimentaire", ["transformatrices de céréales locales", "transformation du fonio",
                                        "jus de bissap et de bouye"]),
    ("artisanat", ["tisserands", "potières", "maroquiniers", "sculpteurs"]),
    ("couture-habillement", ["couturières", "brodeuses", "tailleurs"]),
    ("elevage", ["aviculteurs", "éleveurs de petits ruminants", "apiculteurs"]),
    ("peche-transformation", ["transformatrices de produits halieutiques", "mareyeuses"]),
    ("btp", ["maçons", "briquetiers"]),
    ("services", ["prestataires de services ruraux", "réparateurs"]),
    ("commerce", ["commerçantes", "boutiquiers solidaires"]),
    ("savonnerie-cosmetique", ["savonnières", "productrices de beurre de karité"]),
    ("recyclage", ["recycleurs de plastique"]),
    ("teinture", ["teinturières"]),
]
