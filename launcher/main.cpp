// The `3mhealth` executable.
#include "launcher/cli.h"

int main(int argc, char** argv) { return mh::launcher::run_cli(argc, argv); }
