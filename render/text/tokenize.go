package text

import (
	"strings"
	"unicode"
)

// tokenKind classifies a piece of source code for colouring.
type tokenKind uint8

const (
	plainToken tokenKind = iota
	keywordToken
	stringToken
	commentToken
	numberToken
	tokenKinds // the number of kinds
)

// token is a run of source text of one kind. It may span lines (block comments, multi-line strings).
type token struct {
	kind tokenKind
	text string
}

// syntax holds the few rules the tokenizer needs for one programming language.
type syntax struct {
	keywords      map[string]bool
	lineComments  []string
	blockComments [][2]string // start and end markers, tried in order
	quotes        string      // characters that open a string
	multiline     string      // quotes whose strings may span lines
	tripleQuotes  bool        // """ and ''' strings (Python)
	foldCase      bool        // keywords ignore case (SQL)
}

func words(s string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(s) {
		m[w] = true
	}
	return m
}

var (
	cComments = [][2]string{{"/*", "*/"}}
	cLine     = []string{"//"}
	hashLine  = []string{"#"}
)

var goLang = &syntax{keywords: words(`break case chan const continue default defer else fallthrough for func go goto
	if import interface map package range return select struct switch type var true false nil iota`),
	lineComments: cLine, blockComments: cComments, quotes: "\"'`", multiline: "`"}

var jsLang = &syntax{keywords: words(`async await break case catch class const continue debugger default delete do
	else export extends finally for from function if import in instanceof let new of return static super switch
	this throw try typeof var void while with yield true false null undefined interface type enum implements
	public private protected readonly as`),
	lineComments: cLine, blockComments: cComments, quotes: "\"'`", multiline: "`"}

var pythonLang = &syntax{keywords: words(`and as assert async await break class continue def del elif else except
	finally for from global if import in is lambda nonlocal not or pass raise return try while with yield True
	False None self`),
	lineComments: hashLine, quotes: "\"'", tripleQuotes: true}

var rustLang = &syntax{keywords: words(`as async await break const continue crate dyn else enum extern false fn for
	if impl in let loop match mod move mut pub ref return self Self static struct super trait true type unsafe
	use where while`),
	lineComments: cLine, blockComments: cComments, quotes: "\""}

var cLang = &syntax{keywords: words(`auto break case char const continue default do double else enum extern float
	for goto if inline int long register return short signed sizeof static struct switch typedef union unsigned
	void volatile while bool true false nullptr class namespace template typename public private protected
	virtual override new delete this using try catch throw include define`),
	lineComments: cLine, blockComments: cComments, quotes: "\"'"}

var javaLang = &syntax{keywords: words(`abstract boolean break byte case catch char class const continue default do
	double else enum extends final finally float for if implements import instanceof int interface long native
	new package private protected public return short static super switch synchronized this throw throws try
	void volatile while true false null var val fun when object override string`),
	lineComments: cLine, blockComments: cComments, quotes: "\"'"}

var shellLang = &syntax{keywords: words(`if then else elif fi for while until do done case esac in function return
	local export echo exit set unset source`),
	lineComments: hashLine, quotes: "\"'", multiline: "\"'"}

var rubyLang = &syntax{keywords: words(`begin break case class def do else elsif end ensure false for if in
	module next nil not or and redo rescue retry return self super then true undef unless until when while
	yield require`),
	lineComments: hashLine, quotes: "\"'"}

var sqlLang = &syntax{keywords: words(`select from where and or not insert into values update set delete create
	table drop alter index join left right inner outer on as group by order having limit offset null is in
	like between distinct union all primary key foreign references default case when then else end count sum`),
	lineComments: []string{"--"}, blockComments: cComments, quotes: "'\"", foldCase: true}

var dataLang = &syntax{keywords: words(`true false null yes no`), lineComments: hashLine, quotes: "\"'"}

var htmlLang = &syntax{blockComments: [][2]string{{"<!--", "-->"}}, quotes: "\"'"}

var plainLang = &syntax{lineComments: cLine, blockComments: cComments, quotes: "\"'"}

// languages maps lower-case language names and file extensions to their rules.
var languages = map[string]*syntax{
	"go": goLang, "golang": goLang,
	"js": jsLang, "javascript": jsLang, "jsx": jsLang, "ts": jsLang, "typescript": jsLang, "tsx": jsLang,
	"py": pythonLang, "python": pythonLang,
	"rs": rustLang, "rust": rustLang,
	"c": cLang, "h": cLang, "cpp": cLang, "c++": cLang, "cc": cLang, "hpp": cLang, "cs": cLang, "csharp": cLang,
	"java": javaLang, "kotlin": javaLang, "kt": javaLang, "swift": javaLang, "scala": javaLang,
	"sh": shellLang, "bash": shellLang, "shell": shellLang, "zsh": shellLang,
	"rb": rubyLang, "ruby": rubyLang,
	"sql":  sqlLang,
	"json": dataLang, "yaml": dataLang, "yml": dataLang, "toml": dataLang,
	"html": htmlLang, "xml": htmlLang, "svg": htmlLang,
}

// languageFor returns the rules for a language name, or rules for generic C-like text when it is unknown.
func languageFor(name string) *syntax {
	if l, ok := languages[strings.ToLower(strings.TrimSpace(name))]; ok {
		return l
	}
	return plainLang
}

// tokenize splits code into coloured tokens. It knows comments, strings, numbers and keywords; everything
// else is plain. It never fails: unterminated strings and comments run to the end of the line or text.
func tokenize(code string, lang *syntax) []token {
	var toks []token
	emit := func(k tokenKind, s string) {
		if s == "" {
			return
		}
		if n := len(toks); n > 0 && toks[n-1].kind == k && k == plainToken {
			toks[n-1].text += s
			return
		}
		toks = append(toks, token{k, s})
	}
	for i := 0; i < len(code); {
		rest := code[i:]
		if n := lang.comment(rest); n > 0 {
			emit(commentToken, rest[:n])
			i += n
			continue
		}
		c := rest[0]
		switch {
		case strings.IndexByte(lang.quotes, c) >= 0:
			n := lang.stringLen(rest)
			emit(stringToken, rest[:n])
			i += n
		case isDigit(c) || (c == '.' && len(rest) > 1 && isDigit(rest[1])):
			n := 1
			for n < len(rest) && (isWordByte(rest[n]) || rest[n] == '.') {
				n++
			}
			emit(numberToken, rest[:n])
			i += n
		case isWordByte(c) || c >= 0x80:
			n := 0
			for n < len(rest) && (isWordByte(rest[n]) || rest[n] >= 0x80) {
				n++
			}
			word := rest[:n]
			key := word
			if lang.foldCase {
				key = strings.ToLower(word)
			}
			if lang.keywords[key] {
				emit(keywordToken, word)
			} else {
				emit(plainToken, word)
			}
			i += n
		default:
			emit(plainToken, rest[:1])
			i++
		}
	}
	return toks
}

// comment returns the length of the comment at the start of s, or 0.
func (l *syntax) comment(s string) int {
	for _, m := range l.lineComments {
		if strings.HasPrefix(s, m) {
			if n := strings.IndexByte(s, '\n'); n >= 0 {
				return n
			}
			return len(s)
		}
	}
	for _, bc := range l.blockComments {
		if strings.HasPrefix(s, bc[0]) {
			if n := strings.Index(s[len(bc[0]):], bc[1]); n >= 0 {
				return len(bc[0]) + n + len(bc[1])
			}
			return len(s)
		}
	}
	return 0
}

// stringLen returns the length of the string literal at the start of s, which begins with a quote.
func (l *syntax) stringLen(s string) int {
	q := s[0]
	if l.tripleQuotes && len(s) >= 3 && s[1] == q && s[2] == q {
		if n := strings.Index(s[3:], s[:3]); n >= 0 {
			return n + 6
		}
		return len(s)
	}
	multiline := strings.IndexByte(l.multiline, q) >= 0
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if q != '`' {
				i++
			}
		case q:
			return i + 1
		case '\n':
			if !multiline {
				return i
			}
		}
	}
	return len(s)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isWordByte(c byte) bool {
	return c == '_' || c == '$' || isDigit(c) || unicode.IsLetter(rune(c)) && c < 0x80
}
