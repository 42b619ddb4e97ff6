def navigation(request):
    from web.navigation import menu_for

    return {"nav_items": menu_for(request)}
