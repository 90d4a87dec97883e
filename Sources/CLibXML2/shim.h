// SPDX-License-Identifier: MIT
// libxml2 for Swift. xmlversion.h comes first so that ICU support can be switched off before any
// other libxml2 header pulls in ICU's headers, whose types clash with Foundation's own ICU module.
#ifndef FEEDWATCH_CLIBXML2_SHIM_H
#define FEEDWATCH_CLIBXML2_SHIM_H

#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/HTMLparser.h>
#include <libxml/SAX2.h>
#include <libxml/xmlerror.h>

#endif
