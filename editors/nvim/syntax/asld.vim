" Syntax highlighting for the aslc workflow language (.asld); the language server adds
" semantic tokens on top.
if exists('b:current_syntax')
  finish
endif

syntax keyword asldState task pass wait choice parallel map succeed fail state
syntax keyword asldKeyword policy goto end none if else raw start and or not
syntax keyword asldClause comment credentials input args each batch concurrency label result timeout heartbeat select into output assign query branch process iterator reader writer retry catch use seconds until error cause version default
syntax keyword asldConstant true false null
syntax match asldIntrinsic /States\.[A-Za-z0-9_]\+(\@=/
syntax match asldPath /\$\$\?[A-Za-z0-9_.\[\]*]*/
syntax match asldNumber /-\?\<\d\+\(\.\d\+\)\?\([eE][+-]\?\d\+\)\?\>/
syntax region asldString start=/"/ skip=/\\"/ end=/"/
syntax region asldJsonata start=/{%/ end=/%}/
syntax match asldComment "//.*$"
syntax region asldComment start="/\*" end="\*/"

highlight default link asldState Keyword
highlight default link asldKeyword Keyword
highlight default link asldClause Statement
highlight default link asldConstant Constant
highlight default link asldIntrinsic Function
highlight default link asldPath Identifier
highlight default link asldNumber Number
highlight default link asldString String
highlight default link asldJsonata Special
highlight default link asldComment Comment

let b:current_syntax = 'asld'
