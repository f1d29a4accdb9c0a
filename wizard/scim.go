package wizard

// scimScreen lets the user ask the Connect step to check SCIM as well.
type scimScreen struct {
	check bool
}

func (s scimScreen) view(st Styles) string {
	box := "[ ]"
	if s.check {
		box = "[✓]"
		return st.Accent.Render(box) + " Also check SCIM at Connect " + st.Muted.Render("(space to turn off)")
	}
	return box + " Also check SCIM at Connect " + st.Muted.Render("(space to turn on)")
}
