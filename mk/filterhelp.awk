# filterhelp.awk - doc/filter.man (the FILTERS section of the man page) as
# C: the lines of the filter language's help page (screen_filterhelp.c).
#
#   LC_ALL=C awk -f mk/filterhelp.awk doc/filter.man >filterhelp_text.c
#
# The man page is the one text: the page shows what `man sockview` says.
# Each entry of the array is one of (filterhelp.h):
#   FH_HEADING, FH_SUBHEADING   .SH, .SS
#   FH_PARA                     a filled paragraph (lines joined by a space)
#   FH_TERM                     .TP (or .IP tag): the term as the label, its
#                               paragraph as the text
#   FH_PRE                      one line of a .nf (or .EX) block, kept as is
# Font changes are dropped (\fB, .BR, ...), escapes become their characters
# (\- -, \e \, \(em --). A macro or escape this script does not know stops
# the build with its line number rather than showing troff on the screen.
# POSIX awk only (mawk, busybox, gawk): no gensub, no arrays of arrays.
# The strings are N_() marked: po/POTFILES.in lists the generated file.

BEGIN {
	nofill = 0
	para = ""
	term = ""
	in_term = 0
	want_term = 0
	heading_kind = ""
	nout = 0
	# \(xx and \[xx] special characters, as ASCII
	sc["em"] = "--"; sc["en"] = "-"; sc["hy"] = "-"; sc["mi"] = "-"
	sc["bu"] = "*"; sc["aq"] = "'"; sc["dq"] = "\""; sc["lq"] = "\""
	sc["rq"] = "\""; sc["oq"] = "'"; sc["cq"] = "'"; sc["co"] = "(c)"
	sc["rg"] = "(R)"; sc["tm"] = "(TM)"; sc["ti"] = "~"; sc["ha"] = "^"
	sc["pl"] = "+"; sc["mu"] = "x"; sc["<="] = "<="; sc[">="] = ">="
	sc["->"] = "->"; sc["<-"] = "<-"; sc["sl"] = "/"; sc["rs"] = "\\"
	sc["ga"] = "`"; sc["ul"] = "_"; sc["ba"] = "|"; sc["br"] = "|"
	sc["lB"] = "["; sc["rB"] = "]"; sc["lC"] = "{"; sc["rC"] = "}"
	sc["at"] = "@"; sc["sh"] = "#"; sc["Do"] = "$"; sc["eq"] = "="
	sc["ne"] = "!="; sc["de"] = " degrees"; sc["ua"] = "^"; sc["da"] = "v"
	# \*(xx strings of the man macros
	str["lq"] = "\""; str["rq"] = "\""; str["R"] = "(R)"; str["Tm"] = "(TM)"
	# requests with no text of their own
	for (i = split("RS RE in ad na hy nh ne ft ps vs ti PD TH UC ll ta ns rs ig so", r, " ");
	     i > 0; i--)
		ignored[r[i]] = 1
}

function fail(msg)
{
	printf("%s:%d: %s (mk/filterhelp.awk)\n", FILENAME, FNR, msg) > "/dev/stderr"
	failed = 1
	exit 1
}

# The text of s with troff's escapes replaced by what they print.
function unesc(s,    out, i, n, c, d, name)
{
	out = ""
	n = length(s)
	for (i = 1; i <= n; i++) {
		c = substr(s, i, 1)
		if (c != "\\") {
			out = out c
			continue
		}
		d = substr(s, ++i, 1)
		if (d == "f" || d == "s" || d == "*" || d == "(" || d == "[") {
			# a name: \(xx and \[long] themselves, or after \f, \*, \s
			# (and its sign): one character, (xx or [long]
			if (d == "f" || d == "*" || d == "s")
				i++
			if (d == "s" && (substr(s, i, 1) == "+" || substr(s, i, 1) == "-"))
				i++
			if (substr(s, i, 1) == "(") {
				name = substr(s, i + 1, 2)
				i += 2
			} else if (substr(s, i, 1) == "[") {
				name = substr(s, i + 1)
				if (!index(name, "]"))
					fail("unterminated \\[ in: " s)
				name = substr(name, 1, index(name, "]") - 1)
				i += length(name) + 1
			} else {
				name = substr(s, i, 1)
			}
			if (d == "f" || d == "s")
				continue
			if (d == "*") {
				if (!(name in str))
					fail("unknown string \\*" name)
				out = out str[name]
				continue
			}
			if (!(name in sc))
				fail("unknown special character \\(" name)
			out = out sc[name]
			continue
		}
		if (d == "-" || d == "e" || d == "\\")
			out = out (d == "-" ? "-" : "\\")
		else if (d == " " || d == "~" || d == "0")
			out = out " "
		else if (d == "&" || d == "|" || d == "^" || d == "," || d == "/" || d == ":" || d == "%" || d == "c" || d == "")
			;
		else if (d == "\"")
			break # a comment to the end of the line
		else if (d == "'")
			out = out "'"
		else if (d == "`")
			out = out "`"
		else if (d == ".")
			out = out "."
		else
			fail("unknown escape \\" d)
	}
	return out
}

# Splits the arguments of a macro line (after the name) into a[1..n]:
# blanks separate them, "double quotes" keep blanks ("" is a quote).
function margs(s, a,    n, i, c, cur, inq, started)
{
	n = 0
	cur = ""
	inq = 0
	started = 0
	for (i = 1; i <= length(s); i++) {
		c = substr(s, i, 1)
		if (inq) {
			if (c == "\"" && substr(s, i + 1, 1) == "\"") {
				cur = cur "\""
				i++
			} else if (c == "\"") {
				inq = 0
				a[++n] = cur
				cur = ""
				started = 0
			} else {
				cur = cur c
			}
		} else if (c == " " || c == "\t") {
			if (started)
				a[++n] = cur
			cur = ""
			started = 0
		} else if (c == "\"" && !started) {
			inq = 1
		} else {
			cur = cur c
			started = 1
		}
	}
	if (inq || started)
		a[++n] = cur
	return n
}

function emit(kind, label, text)
{
	nout++
	okind[nout] = kind
	olabel[nout] = label
	otext[nout] = text
}

# Ends the paragraph being filled (a term and its text, or plain text).
function flush()
{
	if (in_term || want_term) {
		emit("FH_TERM", term, para)
	} else if (para != "") {
		emit("FH_PARA", "", para)
	}
	para = ""
	term = ""
	in_term = 0
	want_term = 0
}

# A line of text (from a text line or a font macro).
function text(t)
{
	if (heading_kind != "") {
		emit(heading_kind, "", t)
		heading_kind = ""
		return
	}
	if (nofill) {
		emit("FH_PRE", "", t)
		return
	}
	if (want_term) {
		term = t
		want_term = 0
		in_term = 1
		return
	}
	if (t == "")
		return
	para = para == "" ? t : para " " t
}

# The bytes of t with C's escapes (a char loop: awks differ on
# backslashes in gsub's replacement); "??" is split, no trigraphs.
function cquote(t,    out, i, c)
{
	out = ""
	for (i = 1; i <= length(t); i++) {
		c = substr(t, i, 1)
		if (c == "\\" || c == "\"" || (c == "?" && substr(out, length(out)) == "?"))
			out = out "\\"
		out = out c
	}
	return out
}

# t as a C string literal, cut into pieces of about 72 bytes at blanks
# (xgettext joins them); "" for an empty t is NULL.
function cstr(t,    out, piece, k)
{
	if (t == "")
		return "NULL"
	out = ""
	while (t != "") {
		piece = t
		if (length(t) > 72) {
			for (k = 72; k > 20 && substr(t, k, 1) != " "; k--)
				;
			piece = substr(t, 1, k)
		}
		t = substr(t, length(piece) + 1)
		out = out (out == "" ? "" : "\n\t     ") "\"" cquote(piece) "\""
	}
	return "N_(" out ")"
}

# control lines: .XX args, or 'XX args
/^[.']/ {
	line = $0
	sub(/^[.'][ \t]*/, "", line)
	if (line == "" || line ~ /^\\"/)
		next # an empty request, a comment
	name = line
	sub(/[ \t].*$/, "", name)
	rest = substr(line, length(name) + 1)
	sub(/^[ \t]+/, "", rest)
	n = margs(rest, a)
	if (name == "SH" || name == "SS") {
		flush()
		kind = name == "SH" ? "FH_HEADING" : "FH_SUBHEADING"
		if (n == 0) {
			heading_kind = kind # the next line is the heading
			next
		}
		t = ""
		for (i = 1; i <= n; i++)
			t = t (i > 1 ? " " : "") unesc(a[i])
		emit(kind, "", t)
		next
	}
	if (name == "TP") {
		flush()
		want_term = 1
		next
	}
	if (name == "IP") {
		flush()
		if (n > 0 && unesc(a[1]) != "") {
			term = unesc(a[1])
			in_term = 1
		}
		next
	}
	if (name == "PP" || name == "LP" || name == "P" || name == "HP" || name == "sp" ||
	    name == "br") {
		flush()
		next
	}
	if (name == "nf" || name == "EX") {
		flush()
		nofill = 1
		next
	}
	if (name == "fi" || name == "EE") {
		nofill = 0
		next
	}
	if (name in ignored)
		next
	if (name == "B" || name == "I" || name == "SM" || name == "SB") {
		# the words of the line (without any, the next line: plain text)
		if (n == 0)
			next
		t = ""
		for (i = 1; i <= n; i++)
			t = t (i > 1 ? " " : "") unesc(a[i])
		text(t)
		next
	}
	if (name ~ /^[BIR][BIR]$/ && substr(name, 1, 1) != substr(name, 2, 1)) {
		# alternating fonts: the arguments joined without blanks
		t = ""
		for (i = 1; i <= n; i++)
			t = t unesc(a[i])
		text(t)
		next
	}
	fail("unknown macro ." name)
}

# text lines
{
	if (!nofill && ($0 == "" || $0 ~ /^[ \t]/))
		flush() # a blank line, or one starting with a blank: a break
	t = unesc($0)
	if (!nofill) {
		sub(/^[ \t]+/, "", t)
		sub(/[ \t]+$/, "", t)
	}
	text(t)
}

END {
	if (failed)
		exit 1
	flush()
	print "/* filterhelp_text.c - generated from doc/filter.man by mk/filterhelp.awk:"
	print " * do not edit. The lines of the filter language's help page. */"
	print "#include \"config.h\""
	print ""
	print "#include <stddef.h>"
	print ""
	print "#include \"filterhelp.h\""
	print "#include \"i18n.h\""
	print ""
	print "const struct fh_line filterhelp_lines[] = {"
	for (i = 1; i <= nout; i++)
		printf("\t{ %s, %s,\n\t  %s },\n", okind[i], cstr(olabel[i]), cstr(otext[i]))
	print "};"
	print ""
	print "const size_t filterhelp_nlines = sizeof(filterhelp_lines) / sizeof(filterhelp_lines[0]);"
}
