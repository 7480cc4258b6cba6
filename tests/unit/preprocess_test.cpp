#include <gtest/gtest.h>

#include "io/text_preprocess.h"

using mh::io::preprocess;
using mh::io::PreprocessOptions;

TEST(Preprocess, ReplacesUrlsEmailsAndHandles) {
  PreprocessOptions o;
  EXPECT_EQ(preprocess("see https://example.com/a?b=1, and www.test.org.", o), "see _URL_, and _URL_.");
  EXPECT_EQ(preprocess("mail me: jane.doe+x@mail.example.co.uk!", o), "mail me: _EMAIL_!");
  EXPECT_EQ(preprocess("@some_one told @x2 (@paren)", o), "_USER_ told _USER_ (_USER_)");
  EXPECT_EQ(preprocess("not@handle email@ a@b", o), "not@handle email@ a@b");
}

TEST(Preprocess, EmoticonsBecomeMarkersOnlyWhenTheyStandAlone) {
  PreprocessOptions o;
  EXPECT_EQ(preprocess("i am sad :( but <3 you :)", o), "i am sad _FROWN_ but _HEART_ you _SMILE_");
  EXPECT_EQ(preprocess("at 10:30 a:b (:", o), "at 10:30 a:b _SMILE_");
}

TEST(Preprocess, EmojiSequencesAreSetApart) {
  PreprocessOptions o;
  EXPECT_EQ(preprocess("sad\xF0\x9F\x98\xA2\xF0\x9F\x98\xA2ok", o), "sad \xF0\x9F\x98\xA2 \xF0\x9F\x98\xA2 ok");
  // thumbs up + skin tone stays one emoji
  EXPECT_EQ(preprocess("ok\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD", o), "ok \xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD ");
}

TEST(Preprocess, EachStepCanBeSwitchedOff) {
  PreprocessOptions off{false, false, false, false, false};
  std::string s = "x https://a.bc y@z.com @me :) \xF0\x9F\x98\xA2";
  EXPECT_EQ(preprocess(s, off), s);
}
