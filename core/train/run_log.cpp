// RunLog on spdlog: a stdout sink and a file sink, both printing the bare message.
#include "core/train/run_log.hpp"

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <iostream>

#include "core/errors.hpp"

namespace nnrun {

RunLog::RunLog(bool quiet) {
  auto console = std::make_shared<spdlog::sinks::stdout_sink_mt>();
  console->set_level(quiet ? spdlog::level::off : spdlog::level::info);
  logger_ = std::make_shared<spdlog::logger>("nnrun", console);
  logger_->set_pattern("%v");
  logger_->set_level(spdlog::level::info);
  // spdlog's own handler prints "[*** LOG ERROR #0001 ***] ..." for every failed write (a full
  // disk); say it once, in words, and go on: the console still shows every line.
  logger_->set_error_handler([this](const std::string& message) {
    if (write_failed_) return;
    write_failed_ = true;
    std::cerr << "note: the run's log file cannot be written (" << message
              << "); train.log may miss lines from here on\n";
  });
}

RunLog::~RunLog() {
  flush();
}

void RunLog::attach_file(const std::string& path, bool append) {
  try {
    auto file = std::make_shared<spdlog::sinks::basic_file_sink_mt>(path, /*truncate=*/!append);
    file->set_pattern("%v");
    logger_->sinks().push_back(file);
    file_ = file;
  } catch (const spdlog::spdlog_ex& e) {
    throw RuntimeFailure(path + ": cannot open log file: " + e.what());
  }
}

void RunLog::line(const std::string& text) {
  logger_->info(text);
  logger_->flush();  // a killed run keeps everything it said
}

void RunLog::file_line(const std::string& text) {
  if (!file_) return;
  try {
    file_->log(spdlog::details::log_msg("nnrun", spdlog::level::info, text));
    file_->flush();
  } catch (const spdlog::spdlog_ex&) {
    // The run is already failing; a log that cannot be written must not hide that error.
  }
}

void RunLog::flush() {
  logger_->flush();
}

}  // namespace nnrun
