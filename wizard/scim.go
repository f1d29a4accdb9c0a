package wizard

// scimScreen lets the user ask the Connect step to check SCIM as well.
type scimScreen struct {
	check bool
}

func (s scimScreen) view(st Styles, width int) string {
	line := "[ ] Also check SCIM at Connect " + st.Muted.Render("(space to turn on)")
	if s.check {
		line = st.Accent.Render("[✓]") + " Also check SCIM at Connect " + st.Muted.Render("(space to turn off)")
	}
	return wrap(line, width)
}
