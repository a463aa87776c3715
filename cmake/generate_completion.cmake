# Writes a shell completion file from the tools' own command trees:
#   cmake -DTB=path/to/tb -DSHELL_NAME=bash|zsh -DOUT=file -P generate_completion.cmake
execute_process(COMMAND ${TB} __complete ${SHELL_NAME} OUTPUT_FILE ${OUT}.tmp RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE ${OUT}.tmp)
  message(FATAL_ERROR "${TB} __complete ${SHELL_NAME} failed (${rc})")
endif()
file(RENAME ${OUT}.tmp ${OUT})
